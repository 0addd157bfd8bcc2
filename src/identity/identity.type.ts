import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';

import { LineTypeName } from './line-type';

/** What kind of identity a customer is known by. */
export enum IdentityKind {
  ANI = 'ani',
  EXTERNAL_ID = 'external_id',
}

registerEnumType(IdentityKind, {
  name: 'IdentityKind',
  description: 'A phone number (ANI) or an external id.',
  valuesConfig: {
    ANI: { description: 'A phone number, stored in E.164.' },
    EXTERNAL_ID: { description: 'An external id such as a CRM id, account number or email, stored as key and value.' },
  },
});

/** A way we recognise a customer: a phone number or an external id. */
@ObjectType({ description: 'A way we recognise a customer: a phone number (E.164) or an external id.' })
export class Identity {
  @Field(() => IdentityKind, { description: 'ANI or EXTERNAL_ID.' })
  kind!: IdentityKind;

  @Field({ description: 'For an external id its key (crm_id, email…); "ani" for a phone number.' })
  key!: string;

  @Field({ description: 'The E.164 number or the external id value.' })
  value!: string;

  @Field(() => LineTypeName, { nullable: true, description: 'For a phone number: the line type last reported.' })
  lineType?: LineTypeName | null;

  @Field(() => Date, { description: 'When this identity was last seen on a call.' })
  lastSeenAt!: Date;
}

/** How sure we are of a match (contract §5). */
@ObjectType({ description: 'How sure we are that the caller is this customer, and why.' })
export class Identification {
  @Field(() => Float, { description: 'Sum of the matched signals, in [0,1], two decimals.' })
  confidence!: number;

  @Field({ description: 'very_high (>= 0.9), high (>= 0.7), medium (>= 0.5) or low.' })
  level!: string;

  @Field(() => [String], { description: 'Signals that matched: customer_ref, external_id, ani:<line type>, ani:shared, recency:<N>day, conflict.' })
  sources!: string[];

  @Field({ description: 'reuse (>= 0.5), confirm (>= 0.3) or ignore.' })
  recommendation!: string;
}
