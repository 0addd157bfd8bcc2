/** Customer-level operations: lookups, lists, identities, merges, and direct edits of memory. */
import type { EntityManager, FilterQuery } from '@mikro-orm/core';

import { inTransaction, sqlOf } from '../db/sql';
import { AppError } from '../errors/app-error';
import { keysetCursor, keysetPage } from '../graphql/keyset';
import { ExternalIdentity } from '../identity/external-identity.entity';
import { cleanHint } from '../identity/hints';
import type { IdentityService } from '../identity/identity.service';
import { LineTypeName } from '../identity/line-type';
import { PhoneIdentity } from '../identity/phone-identity.entity';
import { readAni } from '../identity/phone-number';
import { normaliseIntentName } from '../intents/intent-name';
import type { IntentStatus } from '../intents/intent-status';
import { Intent } from '../intents/intent.entity';
import type { IntentService } from '../intents/intent.service';
import type { Clock } from '../shared/clock';
import type { MemoryRules } from '../shared/memory-rules';
import { retryOnRace } from '../shared/retry';
import type { Tenant } from '../tenancy/environment';
import { Variable } from '../variables/variable.entity';
import { valueBytes, type VariableService, type VariableWrite } from '../variables/variable.service';
import type { CustomerFilter, ListResult, Page } from './customer-filter';
import { Customer } from './customer.entity';
import { mergeInto } from './customer-merge';
import { customerByRef, lockCustomer, lockCustomers, saveCustomerActivity, type CustomerRecord } from './customer.sql';

/** One identity to look up, link or unlink: an ANI or an external id. */
export interface IdentityRef {
  ani?: string | null;
  lineType?: LineTypeName | null;
  externalId?: { key: string; value: string } | null;
}

/** An external id as stored: key trimmed and lower-cased, value trimmed. */
function storedExternalId(id: { key: string; value: string }): { key: string; value: string } {
  return { key: id.key.trim().toLowerCase(), value: id.value.trim() };
}

/** The keyset cursor of a customer in the list order (newest first). */
export function customerCursor(customer: Customer): (string | number)[] {
  return keysetCursor(customer.createdAt, customer.id);
}

/** Customer operations. */
export class CustomerService {
  constructor(
    private readonly rules: MemoryRules,
    private readonly identity: IdentityService,
    private readonly intents: IntentService,
    private readonly variables: VariableService,
    private readonly clock: Clock,
  ) {}

  /** The customer a ref names (following merges), or NOT_FOUND. */
  async byRefOrFail(em: EntityManager, ref: string): Promise<Customer> {
    const customer = await this.identity.findByRef(em, cleanHint(ref));
    if (!customer) throw AppError.notFound(`No customer with ref ${ref}`);
    return customer;
  }

  /** The customer an ANI (most recently seen owner) or external id names, if any. */
  async byIdentity(em: EntityManager, identity: IdentityRef): Promise<Customer | null> {
    const ids = await this.customerIdsFor(em, identity);
    if (ids.length === 0) return null;
    return em.findOne(Customer, { id: { $in: ids }, mergedIntoId: null }, { orderBy: { lastCallAt: 'desc nulls last', id: 'asc' } });
  }

  /** Customers matching the filter, newest first, keyset-paginated. */
  async list(em: EntityManager, filter: CustomerFilter, page: Page): Promise<ListResult<Customer>> {
    return keysetPage(em, Customer, await this.listWhere(em, filter), 'createdAt', page);
  }

  private async listWhere(em: EntityManager, filter: CustomerFilter): Promise<FilterQuery<Customer>> {
    const now = this.clock.now();
    const conditions: FilterQuery<Customer>[] = [{ mergedIntoId: null }];
    if (filter.ani != null || filter.externalId) {
      conditions.push({ id: { $in: await this.customerIdsFor(em, { ani: filter.ani, externalId: filter.externalId }) } });
    }
    if (filter.variable) {
      const where: FilterQuery<Variable> = { name: filter.variable.name, expiresAt: { $gt: now } };
      if (filter.variable.value != null) where.value = filter.variable.value;
      const rows = await em.find(Variable, where, { fields: ['customer'] });
      conditions.push({ id: { $in: rows.map((r) => r.customer.id) } });
    }
    if (filter.openIntent) {
      const rows = await em.find(
        Intent,
        { name: normaliseIntentName(filter.openIntent), ...this.intents.openCondition(now) },
        { fields: ['customer'] },
      );
      conditions.push({ id: { $in: rows.map((r) => r.customer.id) } });
    }
    if (filter.lastCallAfter) conditions.push({ lastCallAt: { $gte: filter.lastCallAfter } });
    if (filter.lastCallBefore) conditions.push({ lastCallAt: { $lt: filter.lastCallBefore } });
    return { $and: conditions };
  }

  /** Ids of the customers an ANI or external id belongs to (both given: customers having both). */
  private async customerIdsFor(em: EntityManager, identity: IdentityRef): Promise<string[]> {
    let ids: string[] | undefined;
    if (identity.ani != null) {
      const ani = readAni(identity.ani, this.rules.defaultRegion);
      const phones = ani.kind === 'number' ? await em.find(PhoneIdentity, { e164: ani.e164 }, { fields: ['customer'] }) : [];
      ids = phones.map((p) => p.customer.id);
    }
    if (identity.externalId) {
      const row = await em.findOne(ExternalIdentity, storedExternalId(identity.externalId), { fields: ['customer'] });
      const own = row ? [row.customer.id] : [];
      ids = ids ? ids.filter((id) => own.includes(id)) : own;
    }
    return ids ?? [];
  }

  /**
   * Runs `work` in a transaction on the customer a ref names, holding its row lock (PostgreSQL), as every
   * other writer of a customer does (customer.sql.ts `lockCustomer`). Without it an edit could land on a
   * customer as a merge moved its rows away: an identity linked to the merged-away customer was invisible
   * to every later call (a new customer each time), a delete found nothing to delete, and two concurrent
   * links of one identity ended in a unique violation (500). A customer merged meanwhile, or a unique
   * violation, runs the whole edit again, which then finds the survivor or the row the other edit wrote.
   */
  private onLockedCustomer<T>(em: EntityManager, ref: string, work: (tem: EntityManager, customer: Customer) => Promise<T>): Promise<T> {
    return retryOnRace(() =>
      em.transactional(async (tem) => {
        const customer = await this.byRefOrFail(tem, ref);
        await lockCustomers(sqlOf(tem), { organisationId: customer.organisationId, environment: customer.environment }, [customer.id]);
        return work(tem, customer);
      }),
    );
  }

  /** Attaches an ANI or external id to a customer; an external id owned by someone else is a conflict. */
  async link(em: EntityManager, tenant: Tenant, ref: string, identity: IdentityRef): Promise<Customer> {
    const { e164 } = this.identityOrFail(identity);
    return this.onLockedCustomer(em, ref, async (tem, customer) => {
      const now = this.clock.now();
      if (e164 !== undefined) {
        const phone = await tem.findOne(PhoneIdentity, { e164, customer });
        if (phone) phone.lineType = identity.lineType ?? phone.lineType;
        else tem.create(PhoneIdentity, { ...tenant, customer, e164, lineType: identity.lineType ?? LineTypeName.UNKNOWN, createdAt: now, lastSeenAt: now });
      }
      if (identity.externalId) {
        const { key, value } = storedExternalId(identity.externalId);
        const owner = await tem.findOne(ExternalIdentity, { key, value });
        if (owner && owner.customer.id !== customer.id) {
          throw AppError.conflict(`External id ${key} already belongs to another customer; merge the customers instead`);
        }
        if (!owner) tem.create(ExternalIdentity, { ...tenant, customer, key, value, createdAt: now, lastSeenAt: now });
      }
      customer.provisional = false;
      customer.updatedAt = now;
      await tem.flush();
      return customer;
    });
  }

  /** Detaches an ANI or external id from a customer. */
  async unlink(em: EntityManager, ref: string, identity: IdentityRef): Promise<Customer> {
    const { e164 } = this.identityOrFail(identity);
    return this.onLockedCustomer(em, ref, async (tem, customer) => {
      let removed = 0;
      if (e164 !== undefined) removed += await tem.nativeDelete(PhoneIdentity, { customer, e164 });
      if (identity.externalId) {
        removed += await tem.nativeDelete(ExternalIdentity, { customer, ...storedExternalId(identity.externalId) });
      }
      if (removed === 0) throw AppError.notFound(`Customer ${customer.ref} has no such identity`);
      customer.updatedAt = this.clock.now();
      await tem.flush();
      return customer;
    });
  }

  /** The identity's number in E.164, if it has one; it must name a usable number or an external id. */
  private identityOrFail(identity: IdentityRef): { e164?: string } {
    // An empty identity used to "link" nothing, yet marked the customer as no longer provisional.
    if (identity.ani == null && !identity.externalId) {
      throw AppError.validation([{ path: ['identity'], message: 'identity must give an ani or an externalId' }]);
    }
    if (identity.ani == null) return {};
    const reading = readAni(identity.ani, this.rules.defaultRegion);
    if (reading.kind !== 'number') throw AppError.validation([{ path: ['identity', 'ani'], message: 'ani is not a usable phone number' }]);
    return { e164: reading.e164 };
  }

  /** Writes variables outside a call (same limits and budget as endCall). */
  async setVariables(em: EntityManager, tenant: Tenant, ref: string, writes: VariableWrite[]): Promise<{ customer: CustomerRecord; updated: number }> {
    this.variables.validate(writes, ['variables']);
    return retryOnRace(() =>
      inTransaction(em, async (sql) => {
        const found = await customerByRef(sql, tenant, cleanHint(ref));
        if (!found) throw AppError.notFound(`No customer with ref ${ref}`);
        // Locked before the budget is checked (PostgreSQL; SQLite writes are serial), as endCall and merges
        // lock it: concurrent writes to one customer's variables are checked against the budget in turn.
        const customer = sql.dialect.name === 'postgresql' ? await lockCustomer(sql, tenant, found.id) : found;
        const now = this.clock.now();
        const updated = await this.variables.apply(sql, tenant, customer.id, writes, null, now, ['variables']);
        if (updated > 0) customer.provisional = false;
        customer.updatedAt = now;
        await saveCustomerActivity(sql, customer);
        return { customer, updated };
      }),
    );
  }

  /** Deletes one variable; false when there was none. */
  async deleteVariable(em: EntityManager, ref: string, name: string): Promise<{ customer: Customer; deleted: boolean }> {
    return this.onLockedCustomer(em, ref, async (tem, customer) => {
      const deleted = (await tem.nativeDelete(Variable, { customer, name })) > 0;
      return { customer, deleted };
    });
  }

  /** Resolves, reopens or abandons an intent by hand. */
  async updateIntent(em: EntityManager, ref: string, name: string, status: IntentStatus): Promise<Intent> {
    return this.onLockedCustomer(em, ref, async (tem, customer) => {
      const intent = await this.intents.update(tem, customer, normaliseIntentName(name), status, this.clock.now());
      await tem.flush();
      return intent;
    });
  }

  /** Merges source into target; the source ref then resolves to the target. */
  async merge(em: EntityManager, tenant: Tenant, sourceRef: string, targetRef: string): Promise<Customer> {
    return retryOnRace(() =>
      em.transactional(async (tem) => {
        const source = await this.byRefOrFail(tem, sourceRef);
        const target = await this.byRefOrFail(tem, targetRef);
        if (source.id === target.id) {
          throw AppError.validation([{ path: ['sourceRef'], message: 'sourceRef and targetRef name the same customer' }]);
        }
        // Both rows locked before anything moves, as calls and variable writes lock them: two crossing
        // merges (A into B, B into A) cannot both happen, and no write lands on a customer as it goes.
        // Then re-read, so the counts added up are those no one else can change any more.
        await lockCustomers(sqlOf(tem), tenant, [source.id, target.id]);
        await tem.find(Customer, { id: { $in: [source.id, target.id] } }, { refresh: true });
        const now = this.clock.now();
        await mergeInto(tem, source, target, now);
        await this.checkMergedBudget(tem, target, now);
        return target;
      }),
    );
  }

  /**
   * The 16 KB budget holds after a merge too (every start answer must fit what IVR platforms accept): two
   * customers' variables together can pass it, so a merge that would leave the target over it is refused
   * and rolled back (its transaction throws), as any other write over the budget is.
   */
  private async checkMergedBudget(em: EntityManager, target: Customer, now: Date): Promise<void> {
    const live = await em.find(Variable, { customer: target, expiresAt: { $gt: now } });
    const bytes = valueBytes(live.map((v) => v.value));
    const budget = this.rules.variableLimits.budgetBytes;
    if (bytes > budget) {
      throw AppError.validation([
        {
          path: ['sourceRef'],
          message: `variables budget exceeded: the merged customer would hold ${bytes} bytes of values, the budget is ${budget}; delete variables first`,
        },
      ]);
    }
  }

  /** Deletes provisional customers (nothing learnt) older than the configured time, across all tenants. */
  purgeProvisional(em: EntityManager): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.rules.provisionalTtlMs);
    return em.nativeDelete(Customer, { provisional: true, createdAt: { $lt: cutoff } }, { filters: false });
  }
}

