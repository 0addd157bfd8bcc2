import { IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';

import { ExternalIdInput } from '../identity/identity.input';

/** A variable to filter customers by. */
@InputType({ description: 'Customers having this variable (with this value, when given).' })
export class VariableFilterInput {
  @Field({ description: 'Variable name.' })
  @MaxLength(64)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Exact value.' })
  @IsOptional()
  value?: string | null;
}

/** Filters for the customers query; all given conditions must hold. */
@InputType({ description: 'Which customers to list; every given condition must hold.' })
export class CustomerFilterInput {
  @Field(() => String, { nullable: true, description: 'Customers known by this number (any format).' })
  @IsOptional()
  @MaxLength(64)
  ani?: string | null;

  @Field(() => ExternalIdInput, { nullable: true, description: 'The customer with this external id.' })
  @IsOptional()
  @ValidateNested()
  externalId?: ExternalIdInput | null;

  @Field(() => VariableFilterInput, { nullable: true, description: 'Customers with this unexpired variable.' })
  @IsOptional()
  @ValidateNested()
  variable?: VariableFilterInput | null;

  @Field(() => String, { nullable: true, description: 'Customers with this intent open or abandoned (any label form).' })
  @IsOptional()
  @MaxLength(512)
  openIntent?: string | null;

  @Field(() => Date, { nullable: true, description: 'Last call at or after this time.' })
  @IsOptional()
  lastCallAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last call before this time.' })
  @IsOptional()
  lastCallBefore?: Date | null;
}
