/** The `Node` interface's global `id` (for Customer, Call and Intent) and the `node` and `nodes` queries. */
import { Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';

import type { GraphQLContext } from './context';
import { NODE_TYPES, type NodeTypeName, toGlobalId } from './global-id';
import { NodeArgs, NodesArgs } from './node.args';
import { findNodes, type NodeObject } from './node-lookup';
import { Node } from './node.type';
import { DatabaseCost, QUERY_COST } from './query-cost';

@Resolver(() => Node)
export class NodeResolver {
  @FieldResolver(() => ID)
  id(@Root() row: { id: string }, @Info() info: GraphQLResolveInfo): string {
    const type = info.parentType.name as NodeTypeName;
    if (!NODE_TYPES.includes(type)) throw new Error(`${type} does not implement Node`);
    return toGlobalId(type, row.id);
  }

  @DatabaseCost(QUERY_COST)
  @Query(() => Node, {
    nullable: true,
    description:
      'The Customer, Call or Intent with this global id; null when there is none the API key may see (another organisation’s or environment’s, deleted, or a customer merged into another).',
  })
  async node(@Args(() => NodeArgs) { id }: NodeArgs, @Ctx() { em }: GraphQLContext): Promise<NodeObject | null> {
    const [found] = await findNodes(em, [id]);
    return found;
  }

  @DatabaseCost(NODE_TYPES.length * QUERY_COST)
  @Query(() => [Node], {
    nullable: 'items',
    description: 'The objects with these global ids, one entry per id in the same order, null where `node(id:)` would answer null.',
  })
  nodes(@Args(() => NodesArgs) { ids }: NodesArgs, @Ctx() { em }: GraphQLContext): Promise<(NodeObject | null)[]> {
    return findNodes(em, ids);
  }
}
