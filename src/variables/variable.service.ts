/** Variable rules (contract §3, §6): last write wins, TTL per variable, null deletes, limits and a budget. */
import type { EntityManager } from '@mikro-orm/core';

import type { Sql } from '../db/sql';
import { AppError, type Issue } from '../errors/app-error';
import type { MemoryRules } from '../shared/memory-rules';
import { newRowId } from '../shared/row-id';
import type { Tenant } from '../tenancy/environment';
import { Variable } from './variable.entity';
import { deleteVariable, saveVariable, variablesOf, type VariableRecord } from './variable.sql';

/** One write: a value (with optional TTL and source), or null to delete. */
export interface VariableWrite {
  name: string;
  value: string | null;
  ttlSeconds?: number | null;
  source?: string | null;
}

/** What a variable name may be, and the message when it is not (shared with the GraphQL input). */
export const VARIABLE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
export const VARIABLE_NAME_RULE = 'variable names are 1-64 characters of A-Z a-z 0-9 _ . -';
const MAX_TTL_SECONDS = 10 * 365 * 24 * 60 * 60;

/** What values count against the budget: their UTF-8 bytes. */
export function valueBytes(values: Iterable<string>): number {
  let bytes = 0;
  for (const value of values) bytes += Buffer.byteLength(value, 'utf8');
  return bytes;
}

/** Reads and writes a customer's variables. */
export class VariableService {
  constructor(private readonly rules: MemoryRules) {}

  /** Every unexpired variable, by name. */
  live(sql: Sql, tenant: Tenant, customerId: string, now: Date): Promise<VariableRecord[]> {
    return variablesOf(sql, tenant, customerId, now);
  }

  /** Checks a batch against the limits; `path` is where the batch sits in the caller's input. */
  validate(writes: VariableWrite[], path: (string | number)[]): void {
    const limits = this.rules.variableLimits;
    const issues: Issue[] = [];
    if (writes.length > limits.maxPerRequest) {
      issues.push({ path, message: `at most ${limits.maxPerRequest} variables per request (got ${writes.length})` });
    }
    for (const write of writes) {
      const at = [...path, write.name];
      if (!VARIABLE_NAME.test(write.name)) issues.push({ path: at, message: VARIABLE_NAME_RULE });
      if (write.value !== null && write.value.length > limits.maxValueLength) {
        issues.push({ path: at, message: `value is longer than ${limits.maxValueLength} characters` });
      }
      if (write.ttlSeconds != null && (!Number.isInteger(write.ttlSeconds) || write.ttlSeconds < 1 || write.ttlSeconds > MAX_TTL_SECONDS)) {
        issues.push({ path: [...at, 'ttl_seconds'], message: `ttl_seconds must be a whole number from 1 to ${MAX_TTL_SECONDS}` });
      }
      if (write.source != null && write.source.length > 64) {
        issues.push({ path: [...at, 'source'], message: 'source is longer than 64 characters' });
      }
    }
    if (issues.length > 0) throw AppError.validation(issues);
  }

  /**
   * Applies a validated batch. Refuses the whole batch (nothing written) when the customer's unexpired
   * values would exceed the byte budget afterwards. Returns how many variables were written or deleted.
   * The caller holds the customer's row lock (customers/customer.sql.ts `lockCustomer`), else two
   * concurrent batches would each count the budget without the other's values.
   */
  async apply(sql: Sql, tenant: Tenant, customerId: string, writes: VariableWrite[], callId: string | null, now: Date, path: (string | number)[]): Promise<number> {
    if (writes.length === 0) return 0;
    const existing = new Map((await variablesOf(sql, tenant, customerId)).map((v) => [v.name, v]));
    const after = new Map<string, string>();
    for (const v of existing.values()) if (v.expiresAt > now) after.set(v.name, v.value);
    for (const w of writes) {
      if (w.value === null) after.delete(w.name);
      else after.set(w.name, w.value);
    }
    const bytes = valueBytes(after.values());
    const budget = this.rules.variableLimits.budgetBytes;
    if (bytes > budget) {
      throw AppError.validation([
        { path, message: `variables budget exceeded: ${bytes} bytes of values for this customer, the budget is ${budget}` },
      ]);
    }
    // The writes are sent together, in order (one round trip on PostgreSQL); a name written twice in one
    // batch updates the row its first write inserted, as serial writes would.
    const sent: Promise<void>[] = [];
    let changed = 0;
    for (const w of writes) {
      const current = existing.get(w.name);
      if (w.value === null) {
        if (current) {
          sent.push(deleteVariable(sql, current.id));
          existing.delete(w.name);
          changed++;
        }
        continue;
      }
      const ttlSeconds = w.ttlSeconds ?? this.rules.variableTtlSeconds;
      const written: VariableRecord = {
        id: current?.id ?? newRowId(),
        customer: { id: customerId },
        name: w.name,
        value: w.value,
        source: w.source ?? null,
        ttlSeconds,
        expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
        lastCallId: callId,
        updatedAt: now,
      };
      sent.push(saveVariable(sql, tenant, written, current === undefined));
      existing.set(w.name, written);
      changed++;
    }
    await Promise.all(sent);
    return changed;
  }

  /** Deletes expired variables everywhere (background purge); returns how many. */
  purgeExpired(em: EntityManager, now: Date): Promise<number> {
    return em.nativeDelete(Variable, { expiresAt: { $lte: now } }, { filters: false });
  }
}
