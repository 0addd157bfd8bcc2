/**
 * First start: with an empty database, create the default organisation and one test key, so a new user
 * can make a call in the first minute. BOOTSTRAP_API_KEY, when set, is registered for that organisation.
 */
import type { EntityManager } from '@mikro-orm/core';

import { type ApiKeyService } from './api-key.service';
import { Environment } from './environment';
import { Organisation } from './organisation.entity';

export const DEFAULT_ORGANISATION_SLUG = 'default';

/** What bootstrapping did; `firstKey` is the secret to print once, if one was created. */
export interface BootstrapResult {
  firstKey?: string;
  registeredBootstrapKey: boolean;
}

/** Creates the default organisation and first key on an empty database; registers the bootstrap key. */
export async function bootstrapTenancy(
  em: EntityManager,
  keys: ApiKeyService,
  bootstrapApiKey?: string,
): Promise<BootstrapResult> {
  const result: BootstrapResult = { registeredBootstrapKey: false };
  let organisation = await em.findOne(Organisation, { slug: DEFAULT_ORGANISATION_SLUG });
  if (!organisation && (await em.count(Organisation)) === 0) {
    organisation = await keys.createOrganisation(em, DEFAULT_ORGANISATION_SLUG, 'Default organisation');
    if (!bootstrapApiKey) {
      result.firstKey = (await keys.createKey(em, organisation, Environment.TEST, 'First test key')).secret;
    }
  }
  if (bootstrapApiKey && !(await keys.isKnown(em, bootstrapApiKey))) {
    organisation ??= await keys.createOrganisation(em, DEFAULT_ORGANISATION_SLUG, 'Default organisation');
    await keys.registerKey(em, organisation, bootstrapApiKey, 'Bootstrap key');
    result.registeredBootstrapKey = true;
  }
  return result;
}
