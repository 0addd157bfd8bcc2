/**
 * The arguments of `node(id:)` and `nodes(ids:)`. An id this API did not make (a customer ref, a call id,
 * a typo) is a BAD_USER_INPUT naming the argument, so the mistake shows; a well-formed id of no visible
 * object (deleted, merged away, another organisation's or environment's) answers null instead.
 */
import { ArrayMaxSize, ValidateBy } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';

import { MAX_PAGE_SIZE } from './page-args';
import { isGlobalId } from './global-id';

/** Most ids one `nodes` field may ask for: a page's worth. */
export const MAX_NODE_IDS = MAX_PAGE_SIZE;

const NOT_A_NODE_ID = 'must be the `id` of a Customer, Call or Intent (customer refs and call ids are not node ids)';

/** `id` of `node`. */
@ArgsType()
export class NodeArgs {
  @Field(() => ID, { description: 'The global `id` of a Customer, Call or Intent.' })
  @ValidateBy({ name: 'isGlobalId', validator: { validate: isGlobalId, defaultMessage: () => `id ${NOT_A_NODE_ID}` } })
  id!: string;
}

/** `ids` of `nodes`. */
@ArgsType()
export class NodesArgs {
  @Field(() => [ID], { description: `Global ids of Customers, Calls or Intents, at most ${MAX_NODE_IDS}; the answer has one entry per id, in order.` })
  @ArrayMaxSize(MAX_NODE_IDS)
  @ValidateBy(
    { name: 'isGlobalId', validator: { validate: isGlobalId, defaultMessage: () => `each value in ids ${NOT_A_NODE_ID}` } },
    { each: true },
  )
  ids!: string[];
}
