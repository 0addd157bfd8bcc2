/** Builds the executable GraphQL schema from the type-graphql resolvers (once per process). */
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';

import { ViewerResolver } from '../tenancy/viewer.resolver';

export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [ViewerResolver],
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
  });
}
