/**
 * Identity resolution (contract §5): who is calling, by precedence customer_ref → external ids → ANI, with
 * the signals the confidence score is computed from; and learning new identities for next time.
 */
import type { EntityManager } from '@mikro-orm/core';

import { Customer } from '../customers/customer.entity';
import { customerByRef, type CustomerRecord } from '../customers/customer.sql';
import { followMerges } from '../customers/merged';
import type { Sql } from '../db/sql';
import type { Tenant } from '../tenancy/environment';
import type { MatchSignals } from './confidence';
import { refKey, type CleanHints } from './identity-hints';
import { externalsByPairs, insertExternal, insertPhone, lockIdentities, phonesByNumber, touchExternal, touchPhone, type ExternalMatch, type PhoneMatch } from './identity.sql';
import { LineTypeName } from './line-type';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Who the hints point at, and the evidence for it. */
export interface Resolution {
  customer: CustomerRecord | null;
  signals: MatchSignals;
  lineType: LineTypeName;
  /** The matched customer's row for the ANI, when it has one. */
  phone?: PhoneMatch;
  /** The stored rows of the hints' external ids, whoever they belong to. */
  externals: ExternalMatch[];
}

/** Identity rows a call adds or marks seen. */
export interface Learning {
  /** The customer's row for the number, and the line type the platform reported, if it did. */
  touchPhone?: { id: string; lineType?: LineTypeName };
  addPhone?: { e164: string; lineType: LineTypeName };
  touchExternals: string[];
  addExternals: [key: string, value: string][];
  /** True when the call attaches a number or external id the customer did not have. */
  learnsSomething: boolean;
}

/** Orders customers by most recently seen first. */
function mostRecent(a: CustomerRecord, b: CustomerRecord): number {
  const at = a.lastCallAt?.getTime() ?? 0;
  const bt = b.lastCallAt?.getTime() ?? 0;
  return bt - at || b.updatedAt.getTime() - a.updatedAt.getTime();
}

/** The (unmerged) customer the external ids name; when they name several, the one most of them name, then the latest. */
function mostNamed(externals: ExternalMatch[]): CustomerRecord | null {
  const votes = new Map<string, { customer: CustomerRecord; count: number }>();
  for (const { customer } of externals) {
    if (customer.mergedIntoId) continue;
    const entry = votes.get(customer.id) ?? { customer, count: 0 };
    entry.count++;
    votes.set(customer.id, entry);
  }
  const ranked = [...votes.values()].sort((a, b) => b.count - a.count || mostRecent(a.customer, b.customer));
  return ranked[0]?.customer ?? null;
}

/** Finds customers from hints and attaches what a call taught us about them. */
export class IdentityService {
  /** The customer a ref names, following merges (a merged customer's ref resolves to its target). */
  async findByRef(em: EntityManager, ref: string | undefined): Promise<Customer | null> {
    const key = refKey(ref);
    if (key === null) return null;
    const customer = await em.findOne(Customer, { ref: key });
    return followMerges(customer, (id) => em.findOne(Customer, { id }));
  }

  /**
   * Makes concurrent calls that name the same number or external id resolve in turn (PostgreSQL; SQLite
   * writes are serial already): without it, two first calls from one new number both find no one and
   * create two customers. Take it before `resolve`; it holds until the transaction ends.
   */
  lock(sql: Sql, tenant: Tenant, hints: CleanHints): Promise<void> {
    const identities = Object.entries(hints.externalIds).map(([key, value]) => `external\0${key}\0${value}`);
    if (hints.ani.kind === 'number') identities.push(`ani\0${hints.ani.e164}`);
    return lockIdentities(sql, tenant, identities);
  }

  /** Matches the hints to a customer and reports the signals (no writes). */
  async resolve(sql: Sql, tenant: Tenant, hints: CleanHints, now: Date): Promise<Resolution> {
    // Sent together (one round trip on PostgreSQL).
    const [byRef, externals, phones] = await Promise.all([
      customerByRef(sql, tenant, hints.customerRef),
      externalsByPairs(sql, tenant, hints.externalIds),
      hints.ani.kind === 'number' ? phonesByNumber(sql, tenant, hints.ani.e164) : [],
    ]);
    const byExternal = mostNamed(externals);
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
    return { customer, signals, lineType, phone: ownPhone, externals };
  }

  /**
   * What the call teaches us about the customer (`null`: one this call creates): its number and external
   * ids, to attach or to mark seen. An external id that already names another customer stays with it
   * (it is unique per tenant); an ANI may be shared.
   */
  learning(hints: CleanHints, resolution: Resolution, customerId: string | null): Learning {
    const learning: Learning = { touchExternals: [], addExternals: [], learnsSomething: false };
    if (hints.ani.kind === 'number') {
      // resolve() already found the customer's row for this number, if there is one.
      if (resolution.phone) learning.touchPhone = { id: resolution.phone.id, lineType: hints.lineType };
      else learning.addPhone = { e164: hints.ani.e164, lineType: resolution.lineType };
    }
    for (const [key, value] of Object.entries(hints.externalIds)) {
      const existing = resolution.externals.find((e) => e.key === key && e.value === value);
      if (!existing) learning.addExternals.push([key, value]);
      else if (existing.customer.id === customerId) learning.touchExternals.push(existing.id);
    }
    learning.learnsSomething = learning.addPhone !== undefined || learning.addExternals.length > 0;
    return learning;
  }

  /**
   * Writes what `learning` says for the customer. If a concurrent call inserts the same external id
   * first, the unique index refuses ours and the whole call retries, matching that call's customer.
   */
  async remember(sql: Sql, tenant: Tenant, customerId: string, learning: Learning, now: Date): Promise<void> {
    const { touchPhone: seen, addPhone: added } = learning;
    // Sent together, in this order (one round trip on PostgreSQL).
    await Promise.all([
      seen && touchPhone(sql, seen.id, now, seen.lineType),
      added && insertPhone(sql, tenant, customerId, added.e164, added.lineType, now),
      ...learning.touchExternals.map((id) => touchExternal(sql, id, now)),
      ...learning.addExternals.map(([key, value]) => insertExternal(sql, tenant, customerId, key, value, now)),
    ]);
  }
}
