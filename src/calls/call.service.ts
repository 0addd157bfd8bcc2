/**
 * startCall and endCall (contract §2-§4): one transaction each, idempotent under retries and concurrent
 * duplicates. Uniqueness of call_id is the database's job; the loser of a race retries and replays.
 *
 * These are the hot paths, so they run as plain parameterised SQL (db/sql.ts) rather than through the
 * ORM's unit of work; what they return has the entities' shape, so GraphQL resolves it the same way.
 */
import type { EntityManager } from '@mikro-orm/core';

import { customerById, customerByRef, insertCustomer, lockCustomer, newCustomer, saveCustomerActivity, type CustomerRecord } from '../customers/customer.sql';
import { inTransaction, settled, type Sql } from '../db/sql';
import { AppError } from '../errors/app-error';
import { scoreIdentity, type ConfidenceLevel, type Recommendation } from '../identity/confidence';
import { cleanHint } from '../identity/hints';
import { cleanHints, fingerprint, hasUsableHint, hintsFingerprint, type CleanHints } from '../identity/identity-hints';
import type { IdentityService, Resolution } from '../identity/identity.service';
import { IntentStatus } from '../intents/intent-status';
import { csatScore } from '../metrics/csat-score';
import { intentNameOrFail, type IntentService } from '../intents/intent.service';
import type { ErasedCalls } from '../privacy/erased-calls';
import type { Clock } from '../shared/clock';
import type { MemoryRules } from '../shared/memory-rules';
import { retryOnRace, StaleCustomer } from '../shared/retry';
import type { Tenant } from '../tenancy/environment';
import { countUsage, END_TALLY, monthlyQuota, startTally, type QuotaSource } from '../usage/usage.sql';
import type { VariableService, VariableWrite } from '../variables/variable.service';
import { callIdOrFail } from './call-id';
import { newCall } from './new-call';
import { startSnapshot, viewsFromSnapshot } from './call-snapshot';
import { callById, claimEnd, insertCall, saveCallOutcome, type CallRecord } from './call.sql';
import type { EndCallCommand, EndCallResult, StartCallCommand, StartCallResult } from './call.types';

/** The request's tenant-bound EntityManager and its tenant. */
export interface TenantContext {
  em: EntityManager;
  tenant: Tenant;
}

const NO_HINT = 'identity_hints must include ani, external_ids, or customer_ref';

/** An end request after cleaning: what it would change, and its fingerprint. */
interface CleanEnd {
  callId: string;
  customerRef?: string;
  hints?: CleanHints;
  intent?: { name: string; status: IntentStatus };
  variables: VariableWrite[];
  fingerprint: string;
}

/** The call operations. */
export class CallService {
  constructor(
    private readonly rules: MemoryRules,
    private readonly identity: IdentityService,
    private readonly intents: IntentService,
    private readonly variables: VariableService,
    private readonly clock: Clock,
    /** The variable whose numeric value an end records as the call's CSAT score (docs/metrics.md). */
    private readonly csatVariable = 'csat',
    /** Answers for erased call ids and identities (privacy/erased-calls.ts); consulted only when no call row exists. */
    private readonly erased?: ErasedCalls,
    /** Each organisation's monthly quota (limits/organisation-limits.ts); without it, usage is counted with no quota. */
    private readonly limits?: QuotaSource,
  ) {}

  /** Identifies the caller of a new call, or replays the first answer for a retried start. */
  async start({ em, tenant }: TenantContext, command: StartCallCommand): Promise<StartCallResult> {
    const { callId, hints, print } = this.cleanStart(command);
    const quota = await monthlyQuota(this.limits, em, tenant);
    return retryOnRace(() =>
      inTransaction(em, async (sql) => {
        const now = this.clock.now();
        // Sent together (one round trip on PostgreSQL, db/pg-sql.ts): the identity lock first, then the reads,
        // which so see whatever a concurrent call of the same caller committed before it let go.
        // The erasure check (read-only) rides along too; it only counts when there is no call row.
        const [resolution, existing, erased] = await Promise.all([
          this.lockAndResolve(sql, tenant, hints, now),
          callById(sql, tenant, callId),
          this.erased?.start(sql, tenant, callId, now),
        ]);
        if (existing) return this.replayStart(sql, tenant, existing, await this.customerOf(sql, tenant, existing), print, now);
        if (erased) return erased;
        return this.startNew(sql, tenant, callId, hints, print, now, resolution, quota);
      }),
    );
  }

  private async startNew(sql: Sql, tenant: Tenant, callId: string, hints: CleanHints, print: string, now: Date, resolution: Resolution, quota: number): Promise<StartCallResult> {
    // Read after the customer's lock (sent with it): a customer created by this call has no intents or variables yet.
    const memory = async (id: string) => {
      const [history, variables] = await Promise.all([this.intents.history(sql, tenant, id, now), this.variables.live(sql, tenant, id, now)]);
      return { ...history, variables };
    };
    const identified = await this.identify(sql, tenant, hints, now, resolution, memory);
    const { customer, identification, lineType, previousCallAt, saved } = identified;
    const { open: openIntents, latest: lastIntent, variables } = identified.memory ?? { open: [], latest: null, variables: [] };
    const history = { previousCallAt, callCount: customer.callCount, lastIntent };
    const inserted = insertCall(sql, tenant, {
      ...newCall(callId, customer, hints, lineType, identification, now, previousCallAt),
      startFingerprint: print,
      startSnapshot: startSnapshot(openIntents, variables, history),
    });
    // The transaction's last writes (on PostgreSQL the commit goes out with them), the usage count last of all (usage/usage.sql.ts).
    await sql.last(Promise.all([inserted, saved, countUsage(sql, tenant, now, startTally(identification.recommendation), quota)]));
    return { call: await inserted, customer, identification, openIntents, variables, ...history, replayed: false };
  }

  /**
   * A retried start: the first answer exactly while its snapshot is kept (REPLAY_WINDOW_HOURS, see
   * dropOldSnapshots); after that, the same call, customer and identification with what the customer
   * holds now (docs/decisions.md, issue 12).
   */
  private async replayStart(sql: Sql, tenant: Tenant, call: CallRecord, customer: CustomerRecord, print: string, now: Date): Promise<StartCallResult> {
    if (!call.startFingerprint) {
      throw AppError.conflict(`call_id '${call.callId}' was already recorded by calls/end without a start`);
    }
    if (call.startFingerprint !== print) {
      throw AppError.conflict(`call_id '${call.callId}' was already started with different identity hints`);
    }
    const identification = {
      confidence: call.confidence,
      level: call.level as ConfidenceLevel,
      sources: call.sources,
      recommendation: call.recommendation as Recommendation,
    };
    if (call.startSnapshot) return { call, customer, identification, ...viewsFromSnapshot(call.startSnapshot, customer), replayed: true };
    const [{ open: openIntents, latest: lastIntent }, variables] = await Promise.all([
      this.intents.history(sql, tenant, customer.id, now),
      this.variables.live(sql, tenant, customer.id, now),
    ]);
    const previousCallAt = call.previousCallAt ?? null;
    return { call, customer, identification, openIntents, variables, previousCallAt, callCount: customer.callCount, lastIntent, replayed: true };
  }

  /** Records what a call taught us; replays the stored answer for a retried end. */
  async end({ em, tenant }: TenantContext, command: EndCallCommand): Promise<EndCallResult> {
    const request = this.cleanEnd(command);
    const quota = await monthlyQuota(this.limits, em, tenant);
    return retryOnRace(() =>
      inTransaction(em, async (sql) => {
        const existing = await callById(sql, tenant, request.callId);
        if (!existing) return (await this.erased?.end(sql, tenant, request.callId, request, this.clock.now())) ?? this.endStandalone(sql, tenant, request, quota);
        // An identical retry replays before the ref check: a standalone end's ref may name no customer at all.
        if (existing.endedAt && existing.endFingerprint === request.fingerprint) return this.replayEnd(sql, tenant, existing, request.fingerprint);
        await this.checkCustomerRef(sql, tenant, existing, request.customerRef);
        if (existing.endedAt) return this.replayEnd(sql, tenant, existing, request.fingerprint);
        return this.endStarted(sql, tenant, existing, request, quota);
      }),
    );
  }

  private cleanStart(command: StartCallCommand): { callId: string; hints: CleanHints; print: string } {
    const hints = cleanHints(command.hints, this.rules);
    const noHint = hasUsableHint(hints) ? [] : [{ path: ['identity_hints'], message: NO_HINT }];
    const callId = callIdOrFail(command.callId, noHint);
    return { callId, hints, print: hintsFingerprint(hints) };
  }

  private cleanEnd(command: EndCallCommand): CleanEnd {
    const callId = callIdOrFail(command.callId);
    const label = cleanHint(command.intent);
    const name = label === undefined ? undefined : intentNameOrFail(label, ['intent']);
    const variables = command.variables ?? [];
    this.variables.validate(variables, ['variables']);
    const hints = command.hints ? cleanHints(command.hints, this.rules) : undefined;
    const customerRef = cleanHint(command.customerRef);
    const intent = name ? { name, status: command.intentStatus ?? IntentStatus.OPEN } : undefined;
    const print = fingerprint({
      customerRef: customerRef ?? null,
      hints: hints && hasUsableHint(hints) ? hintsFingerprint(hints) : null,
      intent: intent ?? null,
      variables: variables.map((v) => ({ name: v.name, value: v.value, ttl: v.ttlSeconds ?? null, source: v.source ?? null })),
    });
    return { callId, customerRef, hints, intent, variables, fingerprint: print };
  }

  /** The customer a stored call belongs to (the foreign key guarantees there is one). */
  private async customerOf(sql: Sql, tenant: Tenant, call: CallRecord): Promise<CustomerRecord> {
    const customer = await customerById(sql, tenant, call.customer.id);
    if (!customer) throw new Error(`call ${call.id} has no customer`);
    return customer;
  }

  private async checkCustomerRef(sql: Sql, tenant: Tenant, call: CallRecord, ref: string | undefined): Promise<void> {
    if (ref === undefined) return;
    const named = await customerByRef(sql, tenant, ref);
    if (named?.id !== call.customer.id) {
      throw AppError.conflict(`customer_ref does not match the customer of call_id '${call.callId}'`);
    }
  }

  private async endStarted(sql: Sql, tenant: Tenant, call: CallRecord, request: CleanEnd, quota: number): Promise<EndCallResult> {
    const now = this.clock.now();
    // The customer's row lock first (PostgreSQL), as every writer of a customer takes it before the rows
    // it changes (a merge moves this call): concurrent ends of one customer's calls, merges and variable
    // writes run in turn, so no attempt is lost and the variable budget is checked against the truth.
    // Of two concurrent ends of this call only one sees endedAt still null; the other replays what it recorded.
    const [customer, claimed] = await Promise.all([lockCustomer(sql, tenant, call.customer.id), claimEnd(sql, call.id, now)]);
    if (!claimed) {
      const ended = await callById(sql, tenant, call.callId);
      // Deleted meanwhile (the retention purge takes no customer lock): run again, as an end of an unknown call.
      if (!ended) throw new StaleCustomer(call.customer.id);
      return this.replayEnd(sql, tenant, ended, request.fingerprint);
    }
    return this.recordOutcome(sql, tenant, call, customer, request, now, quota);
  }

  private async endStandalone(sql: Sql, tenant: Tenant, request: CleanEnd, quota: number): Promise<EndCallResult> {
    const hints: CleanHints = request.hints ?? cleanHints({}, this.rules);
    if (request.customerRef !== undefined) hints.customerRef = request.customerRef;
    if (!hasUsableHint(hints)) {
      throw AppError.validation([
        { path: ['call_id'], message: 'Unknown call_id: send customer_ref or identity_hints to record a call that was not started' },
      ]);
    }
    const now = this.clock.now();
    const resolution = await this.lockAndResolve(sql, tenant, hints, now);
    const { customer, identification, lineType, previousCallAt, saved } = await this.identify(sql, tenant, hints, now, resolution);
    const [call] = await Promise.all([
      insertCall(sql, tenant, {
        ...newCall(request.callId, customer, hints, lineType, identification, now, previousCallAt),
        endedAt: now,
        durationSeconds: 0,
      }),
      saved,
    ]);
    return this.recordOutcome(sql, tenant, call, customer, request, now, quota);
  }

  private async recordOutcome(sql: Sql, tenant: Tenant, call: CallRecord, customer: CustomerRecord, request: CleanEnd, now: Date, quota: number): Promise<EndCallResult> {
    const { intent } = request;
    // Intents and variables are different rows: their reads, then their writes, go out together.
    const [, variablesUpdated] = await Promise.all([
      intent && this.intents.report(sql, tenant, customer.id, intent.name, intent.status, call.callId, now),
      this.variables.apply(sql, tenant, customer.id, request.variables, call.callId, now, ['variables']),
    ]);
    const intentsUpdated = intent ? 1 : 0;
    Object.assign(call, {
      endedAt: now,
      durationSeconds: Math.max(0, Math.round((now.getTime() - call.startedAt.getTime()) / 1000)),
      intent: request.intent?.name ?? null,
      intentStatus: request.intent?.status ?? null,
      variablesWritten: request.variables.map((v) => v.name),
      csat: csatScore(request.variables, this.csatVariable),
      endFingerprint: request.fingerprint,
      intentsUpdated,
      variablesUpdated,
    });
    if (intentsUpdated + variablesUpdated > 0) customer.provisional = false;
    customer.updatedAt = now;
    await sql.last(Promise.all([saveCallOutcome(sql, call), saveCustomerActivity(sql, customer), countUsage(sql, tenant, now, END_TALLY, quota)]));
    return { call, customer, intentsUpdated, variablesUpdated, replayed: false };
  }

  private async replayEnd(sql: Sql, tenant: Tenant, call: CallRecord, print: string): Promise<EndCallResult> {
    if (call.endFingerprint !== print) {
      throw AppError.conflict(`call_id '${call.callId}' was already ended with a different body`);
    }
    const customer = await this.customerOf(sql, tenant, call);
    return { call, customer, intentsUpdated: call.intentsUpdated ?? 0, variablesUpdated: call.variablesUpdated ?? 0, replayed: true };
  }

  /** Takes the identity lock and resolves the hints, sent together (the lock goes first). */
  private async lockAndResolve(sql: Sql, tenant: Tenant, hints: CleanHints, now: Date): Promise<Resolution> {
    const [, resolution] = await Promise.all([this.identity.lock(sql, tenant, hints), this.identity.resolve(sql, tenant, hints, now)]);
    return resolution;
  }

  /**
   * Picks the resolved customer (creating a provisional one when nothing matches), learns from the hints
   * and counts the call on the customer. `previousCallAt` is the customer's last call before this one.
   * `memory` reads what an existing customer holds, sent right behind its lock. The writes are sent, not
   * awaited: `saved` settles with them, so the caller's own write shares their round trip.
   */
  private async identify<M>(sql: Sql, tenant: Tenant, hints: CleanHints, now: Date, resolution: Resolution, memory?: (customerId: string) => Promise<M>) {
    const identification = scoreIdentity(resolution.signals, this.rules.weights);
    const { lineType } = resolution;
    if (!resolution.customer) {
      const learning = this.identity.learning(hints, resolution, null);
      const customer = newCustomer(tenant, now, !learning.learnsSomething);
      const saved = settled([insertCustomer(sql, customer), this.identity.remember(sql, tenant, customer.id, learning, now)]);
      return { customer, identification, lineType, previousCallAt: null, saved, memory: undefined };
    }
    // Row lock (PostgreSQL; SQLite writes are serial anyway), re-read: concurrent calls of one customer count in turn.
    const { id } = resolution.customer;
    const [customer, held] = await Promise.all([
      sql.dialect.name === 'postgresql' ? lockCustomer(sql, tenant, id) : resolution.customer,
      memory?.(id),
    ]);
    const previousCallAt = customer.lastCallAt;
    const learning = this.identity.learning(hints, resolution, customer.id);
    if (learning.learnsSomething) customer.provisional = false;
    customer.callCount += 1;
    customer.lastCallAt = now;
    customer.updatedAt = now;
    const saved = settled([this.identity.remember(sql, tenant, customer.id, learning, now), saveCustomerActivity(sql, customer)]);
    return { customer, identification, lineType, previousCallAt, saved, memory: held };
  }
}
