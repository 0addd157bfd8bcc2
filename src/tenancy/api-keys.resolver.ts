/**
 * Key administration in GraphQL, for admin keys only, within the calling key's organisation (and, for a test
 * admin key, its test environment): create (secret shown once), list, revoke, rotate with an overlap.
 * Ordinary keys are refused with FORBIDDEN before anything is read.
 */
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';

import type { GraphQLContext } from '../graphql/context';
import { DatabaseCost, QUERY_COST } from '../graphql/query-cost';
import { ApiKeyInfo, apiKeyInfo, CreateApiKeyInput, CreatedApiKeyPayload, RotateApiKeyArgs, RotatedApiKeyPayload } from './api-keys.types';
import { KeyAdministration, requireAdmin } from './key-administration';

function administration({ services, em, principal }: GraphQLContext, operation: string): KeyAdministration {
  requireAdmin(principal, operation);
  return new KeyAdministration(services.keys, services.clock, em, principal);
}

@Resolver()
export class ApiKeysResolver {
  @DatabaseCost(2 * QUERY_COST)
  @Query(() => [ApiKeyInfo], {
    description:
      'The organisation’s API keys that this key manages (a prod admin key: both environments; a test admin key: test keys): every working key, then the 100 newest revoked or expired ones, newest first. Never a secret or hash. Admin keys only.',
  })
  async apiKeys(@Ctx() context: GraphQLContext): Promise<ApiKeyInfo[]> {
    return (await administration(context, 'apiKeys').list()).map(apiKeyInfo);
  }

  @DatabaseCost(2 * QUERY_COST)
  @Mutation(() => CreatedApiKeyPayload, {
    description: 'Create an API key in the caller’s organisation; its secret is in this answer only, never again. Admin keys only.',
  })
  async createApiKey(
    @Arg('input', () => CreateApiKeyInput, { description: 'The new key’s name, environment and role.' }) input: CreateApiKeyInput,
    @Ctx() context: GraphQLContext,
  ): Promise<CreatedApiKeyPayload> {
    const { apiKey, secret } = await administration(context, 'createApiKey').create({ ...input, name: input.name.trim() });
    return { apiKey: apiKeyInfo(apiKey), secret };
  }

  @Mutation(() => ApiKeyInfo, {
    description:
      'Revoke an API key of the organisation: it fails with 401 from the next request on, on every instance. Revoking a revoked key changes nothing. The key making the request cannot revoke itself (rotate it instead). Admin keys only.',
  })
  async revokeApiKey(
    @Arg('id', () => ID, { description: 'The id of the key to revoke (from apiKeys).' }) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<ApiKeyInfo> {
    return apiKeyInfo(await administration(context, 'revokeApiKey').revoke(id));
  }

  @DatabaseCost(3 * QUERY_COST)
  @Mutation(() => RotatedApiKeyPayload, {
    description:
      'Replace a working API key: a new key with the same name, environment and role (its secret in this answer only), while the old key keeps working for `overlapSeconds` and then fails with 401 like a revoked key. Admin keys only.',
  })
  async rotateApiKey(@Args(() => RotateApiKeyArgs) args: RotateApiKeyArgs, @Ctx() context: GraphQLContext): Promise<RotatedApiKeyPayload> {
    const { created, previous } = await administration(context, 'rotateApiKey').rotate(args.id, args.overlapSeconds);
    return { apiKey: apiKeyInfo(created.apiKey), secret: created.secret, previous: apiKeyInfo(previous) };
  }
}
