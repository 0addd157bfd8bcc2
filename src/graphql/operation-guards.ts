/**
 * Guards wrapped around the schema's resolvers once it is built, so that both /graphql (Apollo) and the
 * REST shim (graphql-jit over the same schema) run them:
 * - a mutation first validates the arguments of the whole operation (operation-arguments.ts), so nothing
 *   is written when any of them is invalid;
 * - a field that queries the database (it declares a `@DatabaseCost`) keeps to the operation's budget
 *   (operation-budget.ts): it checks the time before it starts, a root query field waits for its turn,
 *   and once the time is up its error is QUERY_TIMEOUT rather than the aborted statement's;
 * - once a mutation's resolver has finished (written or failed), the request forgets what it read before:
 *   its loaders and its EntityManager's identity map (where a lookup by id is answered without a query)
 *   are emptied, so the payload's nested fields and any later read of the request come from the database
 *   as the mutation left it, never from before it.
 */
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';

import type { GraphQLContext } from './context';
import { clearLoaders } from './loaders';
import { OperationArguments } from './operation-arguments';
import { databaseCostOf } from './query-cost';

type Resolver = GraphQLFieldResolver<unknown, GraphQLContext>;

/** Wraps the resolvers of a built schema with the guards (call once, before the schema is used). */
export function guardResolvers(schema: GraphQLSchema): void {
  const validatingFirst = validateOperationFirst(new OperationArguments(schema));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const isQuery = type === schema.getQueryType();
    const isMutation = type === schema.getMutationType();
    for (const field of Object.values(type.getFields())) {
      let resolve = (field.resolve ?? defaultFieldResolver) as Resolver;
      if (databaseCostOf(field, isQuery || isMutation) > 0) resolve = withinBudget(resolve, isQuery);
      if (isMutation) resolve = freshAfterwards(validatingFirst(resolve));
      field.resolve = resolve;
    }
  }
}

function validateOperationFirst(operationArguments: OperationArguments): (resolve: Resolver) => Resolver {
  // A mutation operation has one root field (one-mutation.ts), so this runs once per operation.
  return (resolve) => (source, args, context, info) => {
    const error = operationArguments.firstError(info);
    if (error) throw error;
    return resolve(source, args, context, info);
  };
}

/** Empties the request's caches once the mutation's resolver is done, before its payload's fields load. */
function freshAfterwards(resolve: Resolver): Resolver {
  return async (source, args, context, info) => {
    try {
      return await resolve(source, args, context, info);
    } finally {
      clearLoaders(context.loaders);
      context.em.clear();
    }
  };
}

function withinBudget(resolve: Resolver, takesTurns: boolean): Resolver {
  return (source, args, context, info) => {
    const { budget } = context;
    if (!budget) return resolve(source, args, context, info);
    const run = async () => resolve(source, args, context, info);
    if (!takesTurns) budget.check();
    return (takesTurns ? budget.inTurn(run) : run()).catch((error: unknown) => {
      throw budget.expired ? budget.error : error;
    });
  };
}
