/** Builds the executable GraphQL schema from the type-graphql resolvers (once per process). */
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';

import { CallResolver } from '../calls/call.resolver';
import { CustomerMutationsResolver } from '../customers/customer-mutations.resolver';
import { CustomerResolver } from '../customers/customer.resolver';
import { IntentResolver } from '../intents/intent.resolver';
import { LimitsResolver } from '../limits/limits.resolver';
import { MetricsResolver } from '../metrics/metrics.resolver';
import { PrivacyResolver } from '../privacy/privacy.resolver';
import { ApiRequestResolver } from '../request-log/api-request.resolver';
import { ApiKeysResolver } from '../tenancy/api-keys.resolver';
import { ViewerResolver } from '../tenancy/viewer.resolver';
import { UsageResolver } from '../usage/usage.resolver';
import { NodeResolver } from './node.resolver';
import { guardResolvers } from './operation-guards';
import { validateArguments } from './validate-args';

// type-graphql has no option for the root types' descriptions; they are set on the built types.
const ROOT_DESCRIPTIONS = {
  query:
    'Reads of the caller memory of the API key’s organisation and environment: customers, calls and intents (by key, by global id, or as cursor connections), metrics, the organisation’s limits and usage, tombstones, the privacy audit and API keys (admin keys), and the viewer.',
  mutation:
    'Writes to the caller memory of the API key’s organisation and environment: call starts and ends, variables, identities, intents, merges, and erasing or exporting a customer on request (admin keys: lifting tombstones, creating, revoking and rotating API keys, setting limits). An operation runs one mutation.',
} as const;

/** The schema, its resolvers wrapped with the operation guards (operation-guards.ts). */
export async function buildGraphQLSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [ViewerResolver, NodeResolver, CustomerResolver, CustomerMutationsResolver, CallResolver, IntentResolver, MetricsResolver, PrivacyResolver, ApiKeysResolver, LimitsResolver, ApiRequestResolver, UsageResolver],
    // Every invalid argument and list item is reported, not only the first (see validate-args.ts).
    validateFn: validateArguments,
    emitSchemaFile: false,
  });
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query) query.description = ROOT_DESCRIPTIONS.query;
  if (mutation) mutation.description = ROOT_DESCRIPTIONS.mutation;
  guardResolvers(schema);
  return schema;
}
