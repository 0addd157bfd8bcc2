/** Tombstones, the privacy audit, and the erase of one customer's rows, in plain SQL (see db/sql.ts). */
import type { Sql } from '../db/sql';
import { newRowId } from '../shared/row-id';
import type { Tenant } from '../tenancy/environment';
import { tenantParams, tenantWhere } from '../tenancy/tenant-sql';
import type { PrivacyAction } from './privacy-audit.entity';
import type { TombstoneKind } from './tombstone.entity';

/** A tombstone to write: its kind and digest (tombstone-digest.ts). */
export interface NewTombstone {
  kind: TombstoneKind;
  digest: string;
}

/**
 * Which of these digests have a tombstone in the tenant: one probe of the unique
 * (organisation_id, environment, digest) index per digest, in one statement.
 */
export async function tombstonedDigests(sql: Sql, tenant: Tenant, digests: string[]): Promise<Set<string>> {
  if (digests.length === 0) return new Set();
  const rows = await sql.all<{ digest: string }>(
    `select digest from privacy_tombstones where ${tenantWhere()} and digest in (${digests.map(() => '?').join(', ')})`,
    [...tenantParams(tenant), ...digests],
  );
  return new Set(rows.map((row) => row.digest));
}

const BATCH = 100;

/** Writes tombstones; one that exists already takes the newer erase time and key. */
export async function insertTombstones(sql: Sql, tenant: Tenant, tombstones: NewTombstone[], keyId: string, now: Date): Promise<void> {
  const unique = [...new Map(tombstones.map((t) => [t.digest, t])).values()];
  for (let i = 0; i < unique.length; i += BATCH) {
    const batch = unique.slice(i, i + BATCH);
    await sql.run(
      `insert into privacy_tombstones (id, organisation_id, environment, kind, digest, erased_at, erased_by) values ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
       on conflict (organisation_id, environment, digest) do update set erased_at = excluded.erased_at, erased_by = excluded.erased_by`,
      batch.flatMap((t) => [newRowId(), ...tenantParams(tenant), t.kind, t.digest, sql.dialect.date(now), keyId]),
    );
  }
}

/** Records one privacy operation. */
export async function insertAudit(sql: Sql, tenant: Tenant, action: PrivacyAction, keyId: string, subject: string, now: Date): Promise<void> {
  await sql.run('insert into privacy_audit (id, organisation_id, environment, action, key_id, at, subject) values (?, ?, ?, ?, ?, ?, ?)', [
    newRowId(),
    ...tenantParams(tenant),
    action,
    keyId,
    sql.dialect.date(now),
    subject,
  ]);
}

/** `?, ?, …` for a list. */
function marks(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** The customer and every customer merged into it (merge stubs, however long the chains): ids and refs. */
export async function customerFamily(sql: Sql, tenant: Tenant, customer: { id: string; ref: string }): Promise<{ id: string; ref: string }[]> {
  const family = [customer];
  let frontier = [customer.id];
  while (frontier.length > 0) {
    const rows = await sql.all<{ id: string; ref: string }>(
      `select id, ref from customers where ${tenantWhere()} and merged_into_id in (${marks(frontier)})`,
      [...tenantParams(tenant), ...frontier],
    );
    const fresh = rows.filter((row) => !family.some((known) => known.id === row.id));
    family.push(...fresh);
    frontier = fresh.map((row) => row.id);
  }
  return family;
}

/** What an erase found on the customers before deleting it. */
export interface ErasedValues {
  callIds: string[];
  /** Numbers no other customer of the tenant holds (a shared number stays with the others: not erased). */
  phones: string[];
  externalIds: { key: string; value: string }[];
}

/** Reads the values an erase leaves tombstones for. */
export async function erasedValues(sql: Sql, tenant: Tenant, ids: string[]): Promise<ErasedValues> {
  const params = [...tenantParams(tenant), ...ids];
  const calls = await sql.all<{ call_id: string }>(`select call_id from calls where ${tenantWhere()} and customer_id in (${marks(ids)})`, params);
  const phones = await sql.all<{ e164: string }>(
    `select distinct p.e164 from phone_identities p where ${tenantWhere('p')} and p.customer_id in (${marks(ids)})
     and not exists (select 1 from phone_identities o where ${tenantWhere('o')} and o.e164 = p.e164 and o.customer_id not in (${marks(ids)}))`,
    [...params, ...tenantParams(tenant), ...ids],
  );
  const externals = await sql.all<{ key: string; value: string }>(
    `select "key", "value" from external_identities where ${tenantWhere()} and customer_id in (${marks(ids)})`,
    params,
  );
  return { callIds: calls.map((c) => c.call_id), phones: phones.map((p) => p.e164), externalIds: externals };
}

/** How many rows of each kind an erase deleted. */
export interface ErasedCounts {
  calls: number;
  identities: number;
  intents: number;
  variables: number;
}

/** Deletes the customers and everything they hold (children first: no cascade is relied on). */
export async function deleteCustomers(sql: Sql, tenant: Tenant, ids: string[]): Promise<ErasedCounts> {
  const params = [...tenantParams(tenant), ...ids];
  const where = `${tenantWhere()} and customer_id in (${marks(ids)})`;
  const variables = await sql.run(`delete from variables where ${where}`, params);
  const intents = await sql.run(`delete from intents where ${where}`, params);
  const calls = await sql.run(`delete from calls where ${where}`, params);
  const phones = await sql.run(`delete from phone_identities where ${where}`, params);
  const externals = await sql.run(`delete from external_identities where ${where}`, params);
  await sql.run(`delete from customers where ${tenantWhere()} and id in (${marks(ids)})`, params);
  return { calls, identities: phones + externals, intents, variables };
}
