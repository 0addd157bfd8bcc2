/** Builds the executable GraphQL schema from the type-graphql resolvers (once per process). */
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';

import { CallResolver } from '../calls/call.resolver';
import { CustomerMutationsResolver } from '../customers/customer-mutations.resolver';
import { CustomerResolver } from '../customers/customer.resolver';
import { IntentResolver } from '../intents/intent.resolver';
import { MetricsResolver } from '../metrics/metrics.resolver';
import { ViewerResolver } from '../tenancy/viewer.resolver';
import { guardResolvers } from './operation-guards';
import { validateArguments } from './validate-args';

/** The schema, its resolvers wrapped with the operation guards (operation-guards.ts). */
export async function buildGraphQLSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [ViewerResolver, CustomerResolver, CustomerMutationsResolver, CallResolver, IntentResolver, MetricsResolver],
    // Every invalid argument and list item is reported, not only the first (see validate-args.ts).
    validateFn: validateArguments,
    emitSchemaFile: false,
  });
  guardResolvers(schema);
  return schema;
}
