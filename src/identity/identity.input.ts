import { ArrayMaxSize, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';

import { MAX_EXTERNAL_IDS, TOO_MANY_EXTERNAL_IDS } from './identity-hints';
import { LineTypeName } from './line-type';

/** One external id: key and value. */
@InputType({ description: 'An external id (CRM id, account number, email…) as key and value.' })
export class ExternalIdInput {
  @Field({ description: 'The id’s name, e.g. crm_id (stored lower-case).' })
  @Length(1, 64)
  key!: string;

  @Field({ description: 'The id’s value.' })
  @Length(1, 256)
  value!: string;
}

/** What a platform knows about a caller at call time. */
@InputType({ description: 'What the platform knows about the caller; at least ani, externalIds or customerRef.' })
export class IdentityHintsInput {
  @Field(() => String, { nullable: true, description: 'Caller number in any common format; withheld numbers never match.' })
  @IsOptional()
  @MaxLength(64)
  ani?: string | null;

  @Field(() => String, { nullable: true, description: 'Dialled number, stored on the call.' })
  @IsOptional()
  @MaxLength(64)
  dnis?: string | null;

  @Field(() => [ExternalIdInput], { nullable: true, description: `CRM ids and the like, at most ${MAX_EXTERNAL_IDS}; per-call ids are ignored.` })
  @IsOptional()
  @ArrayMaxSize(MAX_EXTERNAL_IDS, { message: TOO_MANY_EXTERNAL_IDS })
  @ValidateNested({ each: true })
  externalIds?: ExternalIdInput[] | null;

  @Field(() => String, { nullable: true, description: 'A customer ref returned earlier.' })
  @IsOptional()
  @MaxLength(64)
  customerRef?: string | null;

  @Field(() => LineTypeName, { nullable: true, description: 'Line type reported by the telco or platform.' })
  @IsOptional()
  lineType?: LineTypeName | null;
}

/** One identity to look up, link or unlink. */
@InputType({ description: 'One identity: a phone number or an external id.' })
export class IdentityInput {
  @Field(() => String, { nullable: true, description: 'A phone number in any common format.' })
  @IsOptional()
  @MaxLength(64)
  ani?: string | null;

  @Field(() => LineTypeName, { nullable: true, description: 'Line type to remember for the number (link only).' })
  @IsOptional()
  lineType?: LineTypeName | null;

  @Field(() => ExternalIdInput, { nullable: true, description: 'An external id.' })
  @IsOptional()
  @ValidateNested()
  externalId?: ExternalIdInput | null;
}

/** Turns the GraphQL list of external ids into the key → value map the domain takes. */
export function externalIdMap(ids: ExternalIdInput[] | null | undefined): Record<string, string> | undefined {
  return ids ? Object.fromEntries(ids.map((id) => [id.key, id.value])) : undefined;
}
