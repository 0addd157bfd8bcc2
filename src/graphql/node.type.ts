/** The Relay `Node` interface: objects a client can fetch again by their global `id` (global-id.ts). */
import { Field, ID, InterfaceType } from 'type-graphql';

/** An object with a global id; `Customer`, `Call` and `Intent` implement it. */
@InterfaceType({
  description:
    'An object with a global id that `node(id:)` fetches again (the Relay Global Object Identification spec). Customer, Call and Intent implement it.',
})
export abstract class Node {
  // Resolved from the row id by NodeResolver; the entities' own `id` property is their row id.
  @Field(() => ID, {
    description:
      'Global, opaque id of the object: unique across types, stable, and usable only with keys of the organisation and environment that own it. Pass it to `node(id:)` or `nodes(ids:)`.',
  })
  id!: string;
}
