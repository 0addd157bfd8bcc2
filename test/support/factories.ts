/** Test data builders with overrides. */
import { randomBytes } from 'node:crypto';

import type { EntityManager } from '@mikro-orm/core';

import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import type { ApiKeyService, CreatedKey } from '../../src/tenancy/api-key.service';
import { Environment } from '../../src/tenancy/environment';
import type { Organisation } from '../../src/tenancy/organisation.entity';

/** A new organisation with a unique slug. */
export function makeOrganisation(
  keys: ApiKeyService,
  em: EntityManager,
  overrides: { slug?: string; name?: string } = {},
): Promise<Organisation> {
  const slug = overrides.slug ?? `org-${randomBytes(4).toString('hex')}`;
  return keys.createOrganisation(em, slug, overrides.name ?? `Organisation ${slug}`);
}

/** A new key for the organisation (test environment unless told otherwise). */
export function makeKey(
  keys: ApiKeyService,
  em: EntityManager,
  organisation: Organisation,
  overrides: { environment?: Environment; name?: string; role?: ApiKeyRole } = {},
): Promise<CreatedKey> {
  return keys.createKey(em, organisation, overrides.environment ?? Environment.TEST, overrides.name ?? 'test key', overrides.role ?? ApiKeyRole.STANDARD);
}
