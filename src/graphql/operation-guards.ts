/**
 * Guards wrapped around the schema's resolvers once it is built, so that both /graphql (Apollo) and the
 * REST shim (graphql-jit over the same schema) run them:
 * - a mutation first validates the arguments of the whole operation (operation-arguments.ts), so nothing
 *   is written when any of them is invalid;
 * - a field that queries the database (it declares a `@DatabaseCost`) keeps to the operation's budget
 *   (operation-budget.ts): it checks the time before it starts, a root query field waits for its turn,
 *   and once the time is up its error is QUERY_TIMEOUT rather than the aborted statement's.
 */
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';

import type { GraphQLContext } from './context';
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
      if (isMutation) resolve = validatingFirst(resolve);
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
