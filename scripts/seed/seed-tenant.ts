/** The tenant a seed writes into: an organisation (made if missing) and, optionally, a key registered for it. */
import { randomUUID } from 'node:crypto';

import type { MikroORM } from '@mikro-orm/core';

import { sqlOf } from '../../src/db/sql';
import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { displayPrefix, environmentOfKey, hashApiKey } from '../../src/tenancy/api-key-format';
import type { Environment } from '../../src/tenancy/environment';

/** Who the seeded customers belong to. */
export interface SeedTenantOptions {
  /** The organisation's slug; created when no organisation has it. */
  organisation: string;
  /** `test` or `prod`; taken from the key when one is given. */
  environment: Environment;
  /** An API key (sk_test_… / sk_prod_…) to register as an admin key of the organisation, unless known. */
  key?: string;
  /** The server secret that hashes keys (APP_SECRET). */
  appSecret: string;
}

/** The organisation id and environment to seed, after making the organisation and key exist. */
export async function prepareSeedTenant(orm: MikroORM, options: SeedTenantOptions): Promise<{ organisationId: string; environment: Environment }> {
  const sql = sqlOf(orm.em.fork());
  const now = sql.dialect.date(new Date());
  const environment = options.key ? environmentOfKey(options.key) : options.environment;
  if (!environment) throw new Error('--key is not an API key (sk_test_… or sk_prod_…)');
  await sql.run('insert into organisations (id, slug, name, created_at) values (?, ?, ?, ?) on conflict (slug) do nothing', [
    randomUUID(),
    options.organisation,
    `Seeded organisation ${options.organisation}`,
    now,
  ]);
  const org = await sql.one<{ id: string }>('select id from organisations where slug = ?', [options.organisation]);
  if (!org) throw new Error(`organisation ${options.organisation} could not be created`);
  if (options.key) {
    const hash = hashApiKey(options.key, options.appSecret);
    await sql.run(
      'insert into api_keys (id, organisation_id, environment, name, prefix, hash, created_at, role) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (hash) do nothing',
      [randomUUID(), org.id, environment, 'Seed key', displayPrefix(options.key), hash, now, ApiKeyRole.ADMIN],
    );
  }
  return { organisationId: org.id, environment };
}
