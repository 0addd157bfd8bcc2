/**
 * Erase and export one customer on request, tombstones, and the privacy audit (contract §8, issue 12).
 * Each operation is one transaction; the audit entry is written in it, so an operation that fails leaves
 * no entry and one that succeeds always has one.
 */
import type { EntityManager } from '@mikro-orm/core';

import type { TenantContext } from '../calls/call.service';
import type { ListResult, Page } from '../customers/customer-filter';
import { customerByRef, lockCustomer } from '../customers/customer.sql';
import { inReadTransaction, inTransaction } from '../db/sql';
import { AppError } from '../errors/app-error';
import { keysetPage } from '../graphql/keyset';
import { loggableCallId } from '../http/request-log';
import { refKey } from '../identity/identity-hints';
import type { Clock } from '../shared/clock';
import { deleteApiRequestsOfCalls } from '../request-log/api-request.sql';
import { retryOnRace } from '../shared/retry';
import { isCanonicalUuid } from '../shared/row-id';
import type { Tenant } from '../tenancy/environment';
import { readExport, type CustomerExport } from './customer-export';
import { PrivacyAction, PrivacyAuditEntry } from './privacy-audit.entity';
import { customerFamily, deleteCustomers, erasedValues, insertAudit, insertTombstones, type ErasedCounts, type NewTombstone } from './privacy.sql';
import { TombstoneKind, Tombstone } from './tombstone.entity';
import type { TombstoneDigests } from './tombstone-digest';

/** Who asks: the tenant and the API key's id (recorded in tombstones and the audit). */
export interface PrivacyActor extends TenantContext {
  keyId: string;
}

/** What an erase removed. */
export interface Erasure extends ErasedCounts {
  customerRef: string;
  erasedAt: Date;
  /** Tombstones written or renewed: call ids, refs, numbers and external ids. */
  tombstones: number;
}

/** A lifted tombstone, as it was. */
export interface LiftedTombstone {
  id: string;
  kind: TombstoneKind;
  erasedAt: Date;
  erasedBy: string;
  liftedAt: Date;
}

// Never the ref itself: error messages are logged.
const NO_SUCH_CUSTOMER = 'No customer with this ref';

/** Hears of an erase once it is committed: the tenant and the erased calls' ids as logs keep them (masked). */
export type ErasedCallsListener = (tenant: Tenant, loggedCallIds: readonly string[]) => void;

/** The privacy operations. */
export class PrivacyService {
  private readonly erasedListeners: ErasedCallsListener[] = [];

  constructor(
    private readonly digests: TombstoneDigests,
    private readonly clock: Clock,
  ) {}

  /** Calls `listener` after each committed erase (the request log drops what it still holds of those calls). */
  onErasedCalls(listener: ErasedCallsListener): void {
    this.erasedListeners.push(listener);
  }

  /**
   * Erases the customer a ref names (and every customer merged into it): calls, numbers, external ids,
   * intents and variables are deleted and keyed-hash tombstones kept of the call ids, refs, numbers (those
   * no other customer holds) and external ids; the request log's entries of those calls are deleted too.
   * On PostgreSQL the customer's row lock comes first, as every writer of a customer takes it: an end or
   * merge in flight either finishes before and is erased with the rest, or runs after, finds the customer
   * gone, and retries into the tombstones.
   */
  async erase({ em, tenant, keyId }: PrivacyActor, ref: string): Promise<Erasure> {
    const key = refOrFail(ref);
    let loggedCallIds: string[] = [];
    const erasure = await retryOnRace(() =>
      inTransaction(em, async (sql) => {
        const found = await customerByRef(sql, tenant, key);
        if (!found) throw AppError.notFound(NO_SUCH_CUSTOMER);
        const customer = sql.dialect.name === 'postgresql' ? await lockCustomer(sql, tenant, found.id) : found;
        const family = await customerFamily(sql, tenant, customer);
        const ids = family.map((member) => member.id);
        const values = await erasedValues(sql, tenant, ids);
        const d = this.digests;
        const tombstones: NewTombstone[] = [
          ...values.callIds.map((callId) => ({ kind: TombstoneKind.CALL, digest: d.call(tenant, callId) })),
          ...family.map((member) => ({ kind: TombstoneKind.CUSTOMER_REF, digest: d.ref(tenant, member.ref) })),
          ...values.phones.map((e164) => ({ kind: TombstoneKind.PHONE, digest: d.phone(tenant, e164) })),
          ...values.externalIds.map((e) => ({ kind: TombstoneKind.EXTERNAL_ID, digest: d.external(tenant, e.key, e.value) })),
        ];
        const now = this.clock.now();
        await insertTombstones(sql, tenant, tombstones, keyId, now);
        const counts = await deleteCustomers(sql, tenant, ids);
        loggedCallIds = [...new Set(values.callIds.map(loggableCallId).filter((id) => id !== undefined))];
        await deleteApiRequestsOfCalls(sql, tenant, loggedCallIds);
        await insertAudit(sql, tenant, PrivacyAction.ERASE, keyId, d.ref(tenant, customer.ref), now);
        return { customerRef: customer.ref, erasedAt: now, ...counts, tombstones: new Set(tombstones.map((t) => t.digest)).size };
      }),
    );
    for (const listener of this.erasedListeners) listener(tenant, loggedCallIds);
    return erasure;
  }

  /** Everything held about the customer a ref names (merged customers' rows are its own), as one document. */
  async export({ em, tenant, keyId }: PrivacyActor, ref: string): Promise<CustomerExport> {
    const key = refOrFail(ref);
    // Read in a read transaction of its own (on SQLite never a long unit of the group commit), complete
    // however many calls; the audit entry is committed before the document is answered.
    const document = await inReadTransaction(em, async (sql) => {
      const customer = await customerByRef(sql, tenant, key);
      if (!customer) throw AppError.notFound(NO_SUCH_CUSTOMER);
      const family = await customerFamily(sql, tenant, customer);
      const mergedRefs = family.filter((member) => member.id !== customer.id).map((member) => member.ref);
      return readExport(sql, tenant, customer, mergedRefs, [customer.id], this.clock.now());
    });
    const digest = this.digests.ref(tenant, document.customer.ref);
    await inTransaction(em, (sql) => insertAudit(sql, tenant, PrivacyAction.EXPORT, keyId, digest, new Date(document.exportedAt)));
    return document;
  }

  /** The tenant's tombstones, newest first (the EntityManager is bound to the tenant). */
  tombstones(em: EntityManager, page: Page): Promise<ListResult<Tombstone>> {
    return keysetPage(em, Tombstone, {}, 'erasedAt', page);
  }

  /** The tenant's privacy audit, newest first. */
  audit(em: EntityManager, page: Page): Promise<ListResult<PrivacyAuditEntry>> {
    return keysetPage(em, PrivacyAuditEntry, {}, 'at', page);
  }

  /** Deletes a tombstone of the tenant: its value behaves as never seen again. NOT_FOUND when there is none. */
  async lift({ em, tenant, keyId }: PrivacyActor, id: string): Promise<LiftedTombstone> {
    const rowId = id.trim().toLowerCase();
    if (!isCanonicalUuid(rowId)) throw AppError.validation([{ path: ['id'], message: 'id must be a tombstone id (a UUID)' }]);
    return inTransaction(em, async (sql) => {
      const row = await sql.one<{ kind: TombstoneKind; digest: string; erased_at: unknown; erased_by: string }>(
        'select kind, digest, erased_at, erased_by from privacy_tombstones where organisation_id = ? and environment = ? and id = ?',
        [tenant.organisationId, tenant.environment, rowId],
      );
      if (!row) throw AppError.notFound('No tombstone with this id');
      await sql.run('delete from privacy_tombstones where id = ?', [rowId]);
      const now = this.clock.now();
      await insertAudit(sql, tenant, PrivacyAction.LIFT_TOMBSTONE, keyId, row.digest, now);
      return { id: rowId, kind: row.kind, erasedAt: sql.dialect.toDate(row.erased_at), erasedBy: row.erased_by, liftedAt: now };
    });
  }
}

/** The stored form of a ref, or a 400: a malformed ref is the client's mistake, an unknown one a 404. */
function refOrFail(ref: string): string {
  const key = refKey(ref.trim());
  if (key === null) throw AppError.validation([{ path: ['ref'], message: 'ref must be a customer ref (a UUID)' }]);
  return key;
}
