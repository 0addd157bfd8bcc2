/**
 * Identity resolution (contract §5): who is calling, by precedence customer_ref → external ids → ANI, with
 * the signals the confidence score is computed from; and learning new identities for next time.
 */
import type { EntityManager } from '@mikro-orm/core';

import { Customer } from '../customers/customer.entity';
import type { MemoryRules } from '../shared/memory-rules';
import type { Tenant } from '../tenancy/environment';
import type { MatchSignals } from './confidence';
import { ExternalIdentity } from './external-identity.entity';
import { isCustomerRef, type CleanHints } from './identity-hints';
import { LineTypeName } from './line-type';
import { PhoneIdentity } from './phone-identity.entity';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Who the hints point at, and the evidence for it. */
export interface Resolution {
  customer: Customer | null;
  signals: MatchSignals;
  lineType: LineTypeName;
  /** The matched customer's row for the ANI, when it has one. */
  phone?: PhoneIdentity;
}

/** Orders customers by most recently seen first. */
function mostRecent(a: Customer, b: Customer): number {
  const at = a.lastCallAt?.getTime() ?? 0;
  const bt = b.lastCallAt?.getTime() ?? 0;
  return bt - at || b.updatedAt.getTime() - a.updatedAt.getTime();
}

/** Finds customers from hints and attaches what a call taught us about them. */
export class IdentityService {
  constructor(private readonly rules: MemoryRules) {}

  /** The customer a ref names, following merges (a merged customer's ref resolves to its target). */
  async findByRef(em: EntityManager, ref: string | undefined): Promise<Customer | null> {
    if (!isCustomerRef(ref)) return null;
    // UUIDs are case-insensitive; SQLite compares text exactly, so match on the stored lower-case form.
    let customer = await em.findOne(Customer, { ref: ref.toLowerCase() });
    for (let hops = 0; customer?.mergedIntoId && hops < 10; hops++) {
      customer = await em.findOne(Customer, { id: customer.mergedIntoId });
    }
    return customer;
  }

  /** Matches the hints to a customer and reports the signals (no writes). */
  async resolve(em: EntityManager, hints: CleanHints, now: Date): Promise<Resolution> {
    const byRef = await this.findByRef(em, hints.customerRef);
    const byExternal = await this.customerByExternalIds(em, hints.externalIds);
    const phones =
      hints.ani.kind === 'number'
        ? await em.find(PhoneIdentity, { e164: hints.ani.e164, customer: { mergedIntoId: null } }, { populate: ['customer'] })
        : [];
    const aniCustomers = [...new Map(phones.map((p) => [p.customer.id, p.customer])).values()].sort(mostRecent);

    const customer = byRef ?? byExternal ?? aniCustomers[0] ?? null;
    const ownPhone = customer ? phones.find((p) => p.customer.id === customer.id) : undefined;
    const lineType = hints.lineType ?? ownPhone?.lineType ?? phones[0]?.lineType ?? LineTypeName.UNKNOWN;
    const conflict =
      (byRef !== null && byExternal !== null && byExternal.id !== byRef.id) ||
      (customer !== null && aniCustomers.length > 0 && !ownPhone);
    const previousCall = customer?.lastCallAt;
    const signals: MatchSignals = {
      matched: customer !== null,
      customerRef: byRef !== null,
      externalId: customer !== null && byExternal?.id === customer.id,
      ani: ownPhone ? { lineType, shared: aniCustomers.length > 1 } : undefined,
      conflict,
      daysSinceLastCall: previousCall ? (now.getTime() - previousCall.getTime()) / DAY_MS : undefined,
    };
    return { customer, signals, lineType, phone: ownPhone };
  }

  /** The customer the external ids name; when they name several, the one most of them name, then the latest. */
  private async customerByExternalIds(em: EntityManager, externalIds: Record<string, string>): Promise<Customer | null> {
    const pairs = Object.entries(externalIds).map(([key, value]) => ({ key, value }));
    if (pairs.length === 0) return null;
    const rows = await em.find(ExternalIdentity, { $or: pairs, customer: { mergedIntoId: null } }, { populate: ['customer'] });
    const votes = new Map<string, { customer: Customer; count: number }>();
    for (const row of rows) {
      const entry = votes.get(row.customer.id) ?? { customer: row.customer, count: 0 };
      entry.count++;
      votes.set(row.customer.id, entry);
    }
    const ranked = [...votes.values()].sort((a, b) => b.count - a.count || mostRecent(a.customer, b.customer));
    return ranked[0]?.customer ?? null;
  }

  /**
   * Attaches the call's ANI and external ids to the customer. An external id that already names another
   * customer stays with it (it is unique per tenant); an ANI may be shared.
   */
  async learn(em: EntityManager, tenant: Tenant, customer: Customer, hints: CleanHints, resolution: Resolution, now: Date): Promise<boolean> {
    let learnt = false;
    const { lineType } = resolution;
    const isNew = resolution.customer === null;
    if (hints.ani.kind === 'number') {
      // resolve() already loaded the customer's row for this number, if there is one.
      const phone = resolution.phone ?? null;
      if (phone) {
        phone.lastSeenAt = now;
        if (hints.lineType) phone.lineType = hints.lineType;
      } else {
        em.create(PhoneIdentity, { ...tenant, customer, e164: hints.ani.e164, lineType, createdAt: now, lastSeenAt: now });
        learnt = true;
      }
    }
    for (const [key, value] of Object.entries(hints.externalIds)) {
      // For a new customer, resolve() found none of these ids. If a concurrent call has inserted one since,
      // the unique index refuses ours and the whole call retries, matching that call's customer.
      const existing = isNew ? null : await em.findOne(ExternalIdentity, { key, value });
      if (existing) {
        if (existing.customer.id === customer.id) existing.lastSeenAt = now;
        continue;
      }
      em.create(ExternalIdentity, { ...tenant, customer, key, value, createdAt: now, lastSeenAt: now });
      learnt = true;
    }
    return learnt;
  }
}
