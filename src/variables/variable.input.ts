import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';

import { VARIABLE_NAME, VARIABLE_NAME_RULE } from './variable.service';

/** One variable write. */
@InputType({ description: 'A variable to write; a null value deletes it.' })
export class VariableInput {
  @Field({ description: 'Name: 1-64 characters of A-Z a-z 0-9 _ . -' })
  @Matches(VARIABLE_NAME, { message: VARIABLE_NAME_RULE })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The value (text); null deletes the variable.' })
  @IsOptional()
  value?: string | null;

  @Field(() => Int, { nullable: true, description: 'Time to live in seconds (default from configuration: 30 days).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(315_360_000)
  ttlSeconds?: number | null;

  @Field(() => String, { nullable: true, description: 'Who is writing it (crm, agent…).' })
  @IsOptional()
  @MaxLength(64)
  source?: string | null;
}
