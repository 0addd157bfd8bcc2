/**
 * startCall and endCall (contract §2-§4): one transaction each, idempotent under retries and concurrent
 * duplicates. Uniqueness of call_id is the database's job; the loser of a race retries and replays.
 *
 * These are the hot paths, so they run as plain parameterised SQL (db/sql.ts) rather than through the
 * ORM's unit of work; what they return has the entities' shape, so GraphQL resolves it the same way.
 */
import type { EntityManager } from '@mikro-orm/core';

import { customerById, customerByRef, insertCustomer, lockCustomer, saveCustomerActivity, type CustomerRecord } from '../customers/customer.sql';
import { inTransaction, type Sql } from '../db/sql';
import { AppError } from '../errors/app-error';
import { scoreIdentity, type ConfidenceLevel, type Recommendation } from '../identity/confidence';
import { cleanHint } from '../identity/hints';
import { cleanHints, fingerprint, hasUsableHint, hintsFingerprint, type CleanHints } from '../identity/identity-hints';
import type { IdentityService } from '../identity/identity.service';
import type { LineTypeName } from '../identity/line-type';
import { IntentStatus } from '../intents/intent-status';
import { csatScore } from '../metrics/csat-score';
import { intentNameOrFail, type IntentService } from '../intents/intent.service';
import type { Clock } from '../shared/clock';
import type { MemoryRules } from '../shared/memory-rules';
import { retryOnRace } from '../shared/retry';
import type { Tenant } from '../tenancy/environment';
import type { VariableService, VariableWrite } from '../variables/variable.service';
import { callIdOrFail } from './call-id';
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
  ) {}

  /** Identifies the caller of a new call, or replays the first answer for a retried start. */
  async start({ em, tenant }: TenantContext, command: StartCallCommand): Promise<StartCallResult> {
    const { callId, hints, print } = this.cleanStart(command);
    return retryOnRace(() =>
      inTransaction(em, async (sql) => {
        const existing = await callById(sql, tenant, callId);
        if (existing) return this.replayStart(existing, await this.customerOf(sql, tenant, existing), print);
        return this.startNew(sql, tenant, callId, hints, print);
      }),
    );
  }

  private async startNew(sql: Sql, tenant: Tenant, callId: string, hints: CleanHints, print: string): Promise<StartCallResult> {
    const now = this.clock.now();
    const { customer, identification, lineType, isNew, previousCallAt } = await this.identify(sql, tenant, hints, now);
    // A customer created by this call has no intents or variables yet.
    const { open: openIntents, latest: lastIntent } = isNew ? { open: [], latest: null } : await this.intents.history(sql, tenant, customer.id, now);
    const variables = isNew ? [] : await this.variables.live(sql, tenant, customer.id, now);
    const history = { previousCallAt, callCount: customer.callCount, lastIntent };
    const call = await insertCall(sql, tenant, {
      ...this.newCall(callId, customer, hints, lineType, identification, now, previousCallAt),
      startFingerprint: print,
      startSnapshot: startSnapshot(openIntents, variables, history),
    });
    return { call, customer, identification, openIntents, variables, ...history, replayed: false };
  }

  private replayStart(call: CallRecord, customer: CustomerRecord, print: string): StartCallResult {
    if (!call.startFingerprint || !call.startSnapshot) {
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
    return { call, customer, identification, ...viewsFromSnapshot(call.startSnapshot, customer), replayed: true };
  }

  /** Records what a call taught us; replays the stored answer for a retried end. */
  async end({ em, tenant }: TenantContext, command: EndCallCommand): Promise<EndCallResult> {
    const request = this.cleanEnd(command);
    return retryOnRace(() =>
      inTransaction(em, async (sql) => {
        const existing = await callById(sql, tenant, request.callId);
        if (!existing) return this.endStandalone(sql, tenant, request);
        // An identical retry replays before the ref check: a standalone end's ref may name no customer at all.
        if (existing.endedAt && existing.endFingerprint === request.fingerprint) return this.replayEnd(sql, tenant, existing, request.fingerprint);
        await this.checkCustomerRef(sql, tenant, existing, request.customerRef);
        if (existing.endedAt) return this.replayEnd(sql, tenant, existing, request.fingerprint);
        return this.endStarted(sql, tenant, existing, request);
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

  private async endStarted(sql: Sql, tenant: Tenant, call: CallRecord, request: CleanEnd): Promise<EndCallResult> {
    const now = this.clock.now();
    // The customer's row lock first (PostgreSQL), as every writer of a customer takes it before the rows
    // it changes (a merge moves this call): concurrent ends of one customer's calls, merges and variable
    // writes run in turn, so no attempt is lost and the variable budget is checked against the truth.
    const customer = await lockCustomer(sql, tenant, call.customer.id);
    // Of two concurrent ends of this call only one sees endedAt still null; the other replays what it recorded.
    if (!(await claimEnd(sql, call.id, now))) return this.replayEnd(sql, tenant, (await callById(sql, tenant, call.callId))!, request.fingerprint);
    return this.recordOutcome(sql, tenant, call, customer, request, now);
  }

  private async endStandalone(sql: Sql, tenant: Tenant, request: CleanEnd): Promise<EndCallResult> {
    const hints: CleanHints = request.hints ?? cleanHints({}, this.rules);
    if (request.customerRef !== undefined) hints.customerRef = request.customerRef;
    if (!hasUsableHint(hints)) {
      throw AppError.validation([
        { path: ['call_id'], message: 'Unknown call_id: send customer_ref or identity_hints to record a call that was not started' },
      ]);
    }
    const now = this.clock.now();
    const { customer, identification, lineType, previousCallAt } = await this.identify(sql, tenant, hints, now);
    const call = await insertCall(sql, tenant, {
      ...this.newCall(request.callId, customer, hints, lineType, identification, now, previousCallAt),
      endedAt: now,
      durationSeconds: 0,
    });
    return this.recordOutcome(sql, tenant, call, customer, request, now);
  }

  private async recordOutcome(sql: Sql, tenant: Tenant, call: CallRecord, customer: CustomerRecord, request: CleanEnd, now: Date): Promise<EndCallResult> {
    let intentsUpdated = 0;
    if (request.intent) {
      await this.intents.report(sql, tenant, customer.id, request.intent.name, request.intent.status, call.callId, now);
      intentsUpdated = 1;
    }
    const variablesUpdated = await this.variables.apply(sql, tenant, customer.id, request.variables, call.callId, now, ['variables']);
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
    await saveCallOutcome(sql, call);
    if (intentsUpdated + variablesUpdated > 0) customer.provisional = false;
    customer.updatedAt = now;
    await saveCustomerActivity(sql, customer);
    return { call, customer, intentsUpdated, variablesUpdated, replayed: false };
  }

  private async replayEnd(sql: Sql, tenant: Tenant, call: CallRecord, print: string): Promise<EndCallResult> {
    if (call.endFingerprint !== print) {
      throw AppError.conflict(`call_id '${call.callId}' was already ended with a different body`);
    }
    const customer = await this.customerOf(sql, tenant, call);
    return { call, customer, intentsUpdated: call.intentsUpdated ?? 0, variablesUpdated: call.variablesUpdated ?? 0, replayed: true };
  }

  /**
   * Resolves the hints to a customer (creating a provisional one when nothing matches), learns from them
   * and counts the call on the customer. `previousCallAt` is the customer's last call before this one.
   */
  private async identify(sql: Sql, tenant: Tenant, hints: CleanHints, now: Date) {
    await this.identity.lock(sql, tenant, hints);
    const resolution = await this.identity.resolve(sql, tenant, hints, now);
    const identification = scoreIdentity(resolution.signals, this.rules.weights);
    const { lineType } = resolution;
    if (!resolution.customer) {
      const learning = this.identity.learning(hints, resolution, null);
      const customer = await insertCustomer(sql, tenant, now, !learning.learnsSomething);
      await this.identity.remember(sql, tenant, customer.id, learning, now);
      return { customer, identification, lineType, isNew: true, previousCallAt: null };
    }
    // Row lock (PostgreSQL; SQLite writes are serial anyway), re-read: concurrent calls of one customer count in turn.
    const customer = sql.dialect.name === 'postgresql' ? await lockCustomer(sql, tenant, resolution.customer.id) : resolution.customer;
    const previousCallAt = customer.lastCallAt;
    const learning = this.identity.learning(hints, resolution, customer.id);
    await this.identity.remember(sql, tenant, customer.id, learning, now);
    if (learning.learnsSomething) customer.provisional = false;
    customer.callCount += 1;
    customer.lastCallAt = now;
    customer.updatedAt = now;
    await saveCustomerActivity(sql, customer);
    return { customer, identification, lineType, isNew: false, previousCallAt };
  }

  /** The fields of a new call row, before what its end records; `previousCallAt` is the customer's previous call start. */
  private newCall(
    callId: string,
    customer: CustomerRecord,
    hints: CleanHints,
    lineType: LineTypeName,
    identification: ReturnType<typeof scoreIdentity>,
    now: Date,
    previousCallAt: Date | null,
  ) {
    return {
      callId,
      customer: { id: customer.id },
      startedAt: now,
      previousCallAt,
      endedAt: null,
      durationSeconds: null,
      aniRaw: hints.ani.kind === 'absent' ? null : hints.ani.raw.slice(0, 64),
      ani: hints.ani.kind === 'number' ? hints.ani.e164 : null,
      dnis: hints.dnis?.slice(0, 64) ?? null,
      lineType,
      confidence: identification.confidence,
      level: identification.level,
      recommendation: identification.recommendation,
      sources: identification.sources,
      intent: null,
      intentStatus: null,
      variablesWritten: [],
      startFingerprint: null,
      endFingerprint: null,
      startSnapshot: null,
      intentsUpdated: null,
      variablesUpdated: null,
      csat: null,
    };
  }
}
