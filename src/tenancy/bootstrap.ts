/**
 * First start: with an empty database, create the default organisation and one test key, so a new user
 * can make a call in the first minute. BOOTSTRAP_API_KEY, when set, is registered for that organisation.
 * Both are admin keys (they sign in to the dashboard).
 *
 * Instances starting together take turns (db/startup-lock.ts), and the organisation is inserted only if
 * no other start got there first, so of any number of instances exactly one creates it and prints a key.
 */
import { randomUUID } from 'node:crypto';

import type { EntityManager } from '@mikro-orm/core';

import { sqlOf } from '../db/sql';
import { withStartupLock } from '../db/startup-lock';
import { ApiKeyRole } from './api-key-role';
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
  // One transaction: a start that dies half-way never leaves an organisation nobody holds a key for.
  return withStartupLock(em, () => em.transactional((tx) => bootstrap(tx, keys, bootstrapApiKey)));
}

async function bootstrap(em: EntityManager, keys: ApiKeyService, bootstrapApiKey?: string): Promise<BootstrapResult> {
  const result: BootstrapResult = { registeredBootstrapKey: false };
  let organisation = await em.findOne(Organisation, { slug: DEFAULT_ORGANISATION_SLUG });
  if (!organisation && (await em.count(Organisation)) === 0) {
    const created = await insertDefaultOrganisation(em);
    organisation = await em.findOneOrFail(Organisation, { slug: DEFAULT_ORGANISATION_SLUG });
    // Only the start that created the organisation makes (and prints) its first key.
    if (created && !bootstrapApiKey) {
      result.firstKey = (await keys.createKey(em, organisation, Environment.TEST, 'First test key', ApiKeyRole.ADMIN)).secret;
    }
  }
  const known = bootstrapApiKey ? await keys.findKey(em, bootstrapApiKey) : null;
  if (known && known.role !== ApiKeyRole.ADMIN) {
    // The operator's own key is admin (contract §8), also when it was registered before keys had roles.
    known.role = ApiKeyRole.ADMIN;
    await em.flush();
  }
  if (bootstrapApiKey && !known) {
    if (!organisation) {
      await insertDefaultOrganisation(em);
      organisation = await em.findOneOrFail(Organisation, { slug: DEFAULT_ORGANISATION_SLUG });
    }
    await keys.registerKey(em, organisation, bootstrapApiKey, 'Bootstrap key', ApiKeyRole.ADMIN);
    result.registeredBootstrapKey = true;
  }
  return result;
}

/** Inserts the default organisation unless it exists (another start made it); true if this call did. */
async function insertDefaultOrganisation(em: EntityManager): Promise<boolean> {
  const sql = sqlOf(em);
  const inserted = await sql.run(
    'insert into organisations (id, slug, name, created_at) values (?, ?, ?, ?) on conflict (slug) do nothing',
    [randomUUID(), DEFAULT_ORGANISATION_SLUG, 'Default organisation', sql.dialect.date(new Date())],
  );
  return inserted === 1;
}
