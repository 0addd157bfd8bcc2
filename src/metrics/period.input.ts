/** The GraphQL input of a period of local days. */
import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, InputType } from 'type-graphql';

import type { Period } from './metrics.types';

/** GraphQL `PeriodInput`. */
@InputType({ description: 'Whole local days in the organisation’s time zone, both ends included; at most 366 days.' })
export class PeriodInput implements Period {
  @Field(() => GraphQLLocalDate, { description: 'First day, YYYY-MM-DD.' })
  from!: string;

  @Field(() => GraphQLLocalDate, { description: 'Last day, YYYY-MM-DD (included); not before `from`.' })
  to!: string;
}
