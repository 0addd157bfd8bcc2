/** The GraphQL types of key administration (api-keys.resolver.ts): a key's metadata, never its hash. */
import { IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

import { ApiKeyRole } from './api-key-role';
import type { ApiKey } from './api-key.entity';
import { Environment } from './environment';
import { MAX_OVERLAP_SECONDS } from './key-administration';

registerEnumType(ApiKeyRole, {
  name: 'ApiKeyRole',
  description: 'What an API key may do besides running calls and reading caller data.',
  valuesConfig: {
    STANDARD: { description: 'Runs calls and reads and changes caller data; nothing else.' },
    ADMIN: { description: 'Also manages keys and limits, reads the request log and metrics, and signs in to the dashboard.' },
  },
});

@ObjectType({ description: 'An API key as it may be shown after creation: never its secret, never its hash.' })
export class ApiKeyInfo {
  @Field(() => ID, { description: 'The key’s id (for revokeApiKey and rotateApiKey).' })
  id!: string;

  @Field({ description: 'The label people gave the key ("Five9 production IVR").' })
  name!: string;

  @Field({ description: 'The first characters of the key (sk_test_ or sk_prod_ and four more), to tell keys apart.' })
  prefix!: string;

  @Field(() => Environment, { description: 'The environment whose data the key works on.' })
  environment!: Environment;

  @Field(() => ApiKeyRole, { description: 'What the key may do.' })
  role!: ApiKeyRole;

  @Field(() => Date, { description: 'When the key was created.' })
  createdAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the key last authenticated a request, to the minute (written in the background at most once a minute); null if never.',
  })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked (it fails from then on); null if it was not.' })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key stops working by itself (the old key of a rotation); null if never.' })
  expiresAt!: Date | null;
}

/** The metadata of a stored key. */
export function apiKeyInfo(key: ApiKey): ApiKeyInfo {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    environment: key.environment,
    role: key.role,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt ?? null,
    revokedAt: key.revokedAt ?? null,
    expiresAt: key.expiresAt ?? null,
  };
}

@InputType({ description: 'A new API key of the caller’s organisation.' })
export class CreateApiKeyInput {
  @Field({ description: 'A label for people, 1 to 200 characters ("Five9 production IVR").' })
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @Field(() => Environment, {
    nullable: true,
    description: 'The environment of the new key; the calling key’s when absent. A test admin key creates test keys only.',
  })
  @IsOptional()
  environment?: Environment | null;

  @Field(() => ApiKeyRole, { nullable: true, description: 'The new key’s role; STANDARD when absent. Admin keys may create admin keys.' })
  @IsOptional()
  role?: ApiKeyRole | null;
}

@ArgsType()
export class RotateApiKeyArgs {
  @Field(() => ID, { description: 'The id of the key to replace (from apiKeys).' })
  id!: string;

  @Field(() => Int, {
    description: `Seconds the old key keeps working after the rotation, 0 (it stops at once) to ${MAX_OVERLAP_SECONDS} (7 days): time to deploy the new key everywhere.`,
  })
  @Min(0)
  @Max(MAX_OVERLAP_SECONDS)
  overlapSeconds!: number;
}

@ObjectType({ description: 'A new API key and its secret. The secret is shown here only, never again: store it now.' })
export class CreatedApiKeyPayload {
  @Field(() => ApiKeyInfo, { description: 'The new key’s metadata.' })
  apiKey!: ApiKeyInfo;

  @Field({ description: 'The whole key (sk_test_… or sk_prod_…), to send as Authorization: Bearer <key>. Shown once.' })
  secret!: string;
}

@ObjectType({ description: 'The result of rotateApiKey: the new key (secret shown once) and the old key, now expiring.' })
export class RotatedApiKeyPayload {
  @Field(() => ApiKeyInfo, { description: 'The new key’s metadata: same name, environment and role as the old key.' })
  apiKey!: ApiKeyInfo;

  @Field({ description: 'The whole new key. Shown once.' })
  secret!: string;

  @Field(() => ApiKeyInfo, { description: 'The old key: it works until its expiresAt, then fails like a revoked key.' })
  previous!: ApiKeyInfo;
}
