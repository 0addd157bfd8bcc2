/** Intent rules (contract §6): attempt counting, resolve, reopen, expiry, newest first. */
import type { EntityManager } from '@mikro-orm/core';

import type { Customer } from '../customers/customer.entity';
import { AppError } from '../errors/app-error';
import type { Sql } from '../db/sql';
import type { MemoryRules } from '../shared/memory-rules';
import type { Tenant } from '../tenancy/environment';
import { MAX_INTENT_NAME_LENGTH, normaliseIntentName } from './intent-name';
import { IntentStatus, isUnresolved } from './intent-status';
import { Intent } from './intent.entity';
import { intentNamed, intentsOf, saveIntent, type IntentRecord } from './intent.sql';

/** Validates and normalises an intent label; `path` locates it in the caller's input for the error. */
export function intentNameOrFail(label: string, path: (string | number)[]): string {
  const name = normaliseIntentName(label);
  if (!name) throw AppError.validation([{ path, message: 'intent must contain at least one letter or digit' }]);
  if (name.length > MAX_INTENT_NAME_LENGTH) {
    throw AppError.validation([{ path, message: `intent must be at most ${MAX_INTENT_NAME_LENGTH} characters` }]);
  }
  return name;
}

/** Reads and writes a customer's intents. */
export class IntentService {
  constructor(private readonly rules: MemoryRules) {}

  /** The condition an open intent meets: unresolved, and updated within the intent TTL. */
  openCondition(now: Date): { status: { $in: IntentStatus[] }; updatedAt: { $gt: Date } } {
    return { status: { $in: [IntentStatus.OPEN, IntentStatus.ABANDONED] }, updatedAt: { $gt: this.expiryCutoff(now) } };
  }

  /** In one query: the open intents (as `openCondition` selects them) and the latest intent of any status. */
  async history(sql: Sql, tenant: Tenant, customerId: string, now: Date): Promise<{ open: IntentRecord[]; latest: IntentRecord | null }> {
    const all = await intentsOf(sql, tenant, customerId);
    return { open: all.filter((i) => this.isLive(i, now)), latest: all[0] ?? null };
  }

  /** Intents untouched since this moment no longer count as open. */
  expiryCutoff(now: Date): Date {
    return new Date(now.getTime() - this.rules.intentTtlMs);
  }

  /** Unresolved and not expired: what counts as open. */
  private isLive(intent: Pick<Intent, 'status' | 'updatedAt'>, now: Date): boolean {
    return isUnresolved(intent.status) && intent.updatedAt > this.expiryCutoff(now);
  }

  /**
   * Records that a call reported an intent with a status. Reported again while unresolved: attempt + 1;
   * reported open (or abandoned) after being resolved, or after expiring: reopened with attempt 1.
   */
  async report(sql: Sql, tenant: Tenant, customerId: string, name: string, status: IntentStatus, callId: string | null, now: Date): Promise<IntentRecord> {
    const intent = await intentNamed(sql, tenant, customerId, name);
    if (!intent) {
      return saveIntent(sql, tenant, { customer: { id: customerId }, name, status, attemptCount: 1, lastCallId: callId, createdAt: now, updatedAt: now });
    }
    const attemptCount = status === IntentStatus.RESOLVED ? intent.attemptCount : this.isLive(intent, now) ? intent.attemptCount + 1 : 1;
    return saveIntent(sql, tenant, { ...intent, status, attemptCount, lastCallId: callId ?? intent.lastCallId, updatedAt: now });
  }

  /** Sets an intent's status by hand (resolve, reopen, abandon); reopening a resolved or expired intent restarts the count. */
  async update(em: EntityManager, customer: Customer, name: string, status: IntentStatus, now: Date): Promise<Intent> {
    const intent = await em.findOne(Intent, { customer, name });
    if (!intent) throw AppError.notFound(`Customer ${customer.ref} has no intent '${name}'`);
    if (!this.isLive(intent, now) && isUnresolved(status)) intent.attemptCount = 1;
    intent.status = status;
    intent.updatedAt = now;
    return intent;
  }
}
