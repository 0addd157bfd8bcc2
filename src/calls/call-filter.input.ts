import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

/** Filters for the calls query. */
@InputType({ description: 'Which calls to list; every given condition must hold.' })
export class CallFilterInput {
  @Field(() => ID, { nullable: true, description: 'Calls of this customer.' })
  @IsOptional()
  @MaxLength(64)
  customerRef?: string | null;

  @Field(() => Date, { nullable: true, description: 'Started at or after this time.' })
  @IsOptional()
  startedAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Started before this time.' })
  @IsOptional()
  startedBefore?: Date | null;

  @Field(() => String, { nullable: true, description: 'Calls that reported this intent (any label form).' })
  @IsOptional()
  @MaxLength(512)
  intent?: string | null;
}
