/**
 * startCall and endCall (contract §2-§4): one transaction each, idempotent under retries and concurrent
 * duplicates. Uniqueness of call_id is the database's job; the loser of a race retries and replays.
 */
import type { EntityManager } from '@mikro-orm/core';

import { Customer } from '../customers/customer.entity';
import { AppError } from '../errors/app-error';
import { scoreIdentity, type ConfidenceLevel, type Recommendation } from '../identity/confidence';
import { cleanHint } from '../identity/hints';
import { cleanHints, fingerprint, hasUsableHint, hintsFingerprint, type CleanHints } from '../identity/identity-hints';
import type { IdentityService } from '../identity/identity.service';
import { IntentStatus } from '../intents/intent-status';
import { intentNameOrFail, type IntentService } from '../intents/intent.service';
import type { Clock } from '../shared/clock';
import type { MemoryRules } from '../shared/memory-rules';
import { retryOnUniqueViolation } from '../shared/retry';
import { lockForUpdate } from '../shared/row-lock';
import type { Tenant } from '../tenancy/environment';
import type { VariableService, VariableWrite } from '../variables/variable.service';
import { Call } from './call.entity';
import { callIdOrFail } from './call-id';
import { callIdTaken } from './call-queries';
import { startSnapshot, viewsFromSnapshot } from './call-snapshot';
import type { EndCallCommand, EndCallResult, StartCallCommand, StartCallResult } from './call.types';

/** The request's tenant-bound EntityManager and its tenant. */
export interface TenantContext {
  em: EntityManager;
  tenant: Tenant;
}

const NO_HINT = 'identity_hints must include ani, external_ids, or customer_ref';

/** Thrown inside an end transaction that lost the race to end the same call. */
class AlreadyEnded extends Error {}

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
  ) {}

  /** Identifies the caller of a new call, or replays the first answer for a retried start. */
  async start({ em, tenant }: TenantContext, command: StartCallCommand): Promise<StartCallResult> {
    const hints = cleanHints(command.hints, this.rules);
    const noHint = hasUsableHint(hints) ? [] : [{ path: ['identity_hints'], message: NO_HINT }];
    const callId = callIdOrFail(command.callId, noHint);
    const print = hintsFingerprint(hints);
    return retryOnUniqueViolation(em, async () => {
      if (await callIdTaken(em, tenant, callId)) {
        return this.replayStart(await em.findOneOrFail(Call, { callId }, { populate: ['customer'] }), print);
      }
      return em.transactional((tem) => this.startNew(tem, tenant, callId, hints, print));
    });
  }

  private async startNew(em: EntityManager, tenant: Tenant, callId: string, hints: CleanHints, print: string): Promise<StartCallResult> {
    const now = this.clock.now();
    const { customer, identification, lineType, isNew } = await this.identify(em, tenant, hints, now);
    // A customer created by this call has no intents or variables yet.
    const { open: openIntents, latest: lastIntent } = isNew ? { open: [], latest: null } : await this.intents.history(em, customer, now);
    const variables = isNew ? [] : await this.variables.live(em, customer, now);
    const previousCallAt = customer.lastCallAt ?? null;
    this.countCall(customer, now);
    const history = { previousCallAt, callCount: customer.callCount, lastIntent };
    const call = em.create(Call, {
      ...tenant,
      callId,
      customer,
      startedAt: now,
      ...this.callerFields(hints, lineType),
      confidence: identification.confidence,
      level: identification.level,
      recommendation: identification.recommendation,
      sources: identification.sources,
      startFingerprint: print,
      startSnapshot: startSnapshot(openIntents, variables, history),
    });
    await em.flush();
    return { call, customer, identification, openIntents, variables, ...history, replayed: false };
  }

  private replayStart(call: Call, print: string): StartCallResult {
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
    return { call, customer: call.customer, identification, ...viewsFromSnapshot(call.startSnapshot, call.customer), replayed: true };
  }

  /** Records what a call taught us; replays the stored answer for a retried end. */
  async end({ em, tenant }: TenantContext, command: EndCallCommand): Promise<EndCallResult> {
    const request = this.cleanEnd(command);
    return retryOnUniqueViolation(em, async () => {
      const existing = await em.findOne(Call, { callId: request.callId }, { populate: ['customer'] });
      if (!existing) return this.endStandalone(em, tenant, request);
      // An identical retry replays before the ref check: a standalone end's ref may name no customer at all.
      if (existing.endedAt && existing.endFingerprint === request.fingerprint) return this.replayEnd(existing, request.fingerprint);
      await this.checkCustomerRef(em, existing, request.customerRef);
      if (existing.endedAt) return this.replayEnd(existing, request.fingerprint);
      try {
        return await em.transactional((tem) => this.endStarted(tem, tenant, existing, request));
      } catch (error) {
        if (!(error instanceof AlreadyEnded)) throw error;
        em.clear();
        const ended = await em.findOneOrFail(Call, { callId: request.callId }, { populate: ['customer'] });
        return this.replayEnd(ended, request.fingerprint);
      }
    });
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

  private async checkCustomerRef(em: EntityManager, call: Call, ref: string | undefined): Promise<void> {
    if (ref === undefined) return;
    const named = await this.identity.findByRef(em, ref);
    if (named?.id !== call.customer.id) {
      throw AppError.conflict(`customer_ref does not match the customer of call_id '${call.callId}'`);
    }
  }

  private async endStarted(em: EntityManager, tenant: Tenant, call: Call, request: CleanEnd): Promise<EndCallResult> {
    const now = this.clock.now();
    // The conditional update is the lock: of two concurrent ends, only one sees endedAt still null.
    const claimed = await em.nativeUpdate(Call, { id: call.id, endedAt: null }, { endedAt: now });
    if (claimed === 0) throw new AlreadyEnded();
    // Locked before intents and variables are read, so concurrent ends of one customer's calls do not lose attempts.
    await lockForUpdate(em, call.customer);
    return this.recordOutcome(em, tenant, call, call.customer, request, now);
  }

  private async endStandalone(em: EntityManager, tenant: Tenant, request: CleanEnd): Promise<EndCallResult> {
    const hints: CleanHints = request.hints ?? cleanHints({}, this.rules);
    if (request.customerRef !== undefined) hints.customerRef = request.customerRef;
    if (!hasUsableHint(hints)) {
      throw AppError.validation([
        { path: ['call_id'], message: 'Unknown call_id: send customer_ref or identity_hints to record a call that was not started' },
      ]);
    }
    return em.transactional(async (tem) => {
      const now = this.clock.now();
      const { customer, identification, lineType } = await this.identify(tem, tenant, hints, now);
      const call = tem.create(Call, {
        ...tenant,
        callId: request.callId,
        customer,
        startedAt: now,
        endedAt: now,
        ...this.callerFields(hints, lineType),
        confidence: identification.confidence,
        level: identification.level,
        recommendation: identification.recommendation,
        sources: identification.sources,
      });
      this.countCall(customer, now);
      return this.recordOutcome(tem, tenant, call, customer, request, now);
    });
  }

  private async recordOutcome(em: EntityManager, tenant: Tenant, call: Call, customer: Customer, request: CleanEnd, now: Date): Promise<EndCallResult> {
    let intentsUpdated = 0;
    if (request.intent) {
      await this.intents.report(em, tenant, customer, request.intent.name, request.intent.status, call.callId, now);
      intentsUpdated = 1;
    }
    const variablesUpdated = await this.variables.apply(em, tenant, customer, request.variables, call.callId, now, ['variables']);
    Object.assign(call, {
      endedAt: now,
      durationSeconds: Math.max(0, Math.round((now.getTime() - call.startedAt.getTime()) / 1000)),
      intent: request.intent?.name ?? null,
      intentStatus: request.intent?.status ?? null,
      variablesWritten: request.variables.map((v) => v.name),
      endFingerprint: request.fingerprint,
      intentsUpdated,
      variablesUpdated,
    });
    if (intentsUpdated + variablesUpdated > 0) customer.provisional = false;
    customer.updatedAt = now;
    await em.flush();
    return { call, customer, intentsUpdated, variablesUpdated, replayed: false };
  }

  private replayEnd(call: Call, print: string): EndCallResult {
    if (call.endFingerprint !== print) {
      throw AppError.conflict(`call_id '${call.callId}' was already ended with a different body`);
    }
    return {
      call,
      customer: call.customer,
      intentsUpdated: call.intentsUpdated ?? 0,
      variablesUpdated: call.variablesUpdated ?? 0,
      replayed: true,
    };
  }

  /** Resolves the hints to a customer (creating a provisional one when nothing matches) and learns from them. */
  private async identify(em: EntityManager, tenant: Tenant, hints: CleanHints, now: Date) {
    const resolution = await this.identity.resolve(em, hints, now);
    // Row lock (PostgreSQL; SQLite writes are serial anyway): concurrent calls of one customer count in turn.
    if (resolution.customer) await lockForUpdate(em, resolution.customer);
    const identification = scoreIdentity(resolution.signals, this.rules.weights);
    const isNew = resolution.customer === null;
    const customer = resolution.customer ?? em.create(Customer, { ...tenant, createdAt: now, updatedAt: now });
    if (await this.identity.learn(em, tenant, customer, hints, resolution, now)) customer.provisional = false;
    return { customer, identification, lineType: resolution.lineType, isNew };
  }

  private callerFields(hints: CleanHints, lineType: Call['lineType']) {
    return {
      aniRaw: hints.ani.kind === 'absent' ? null : hints.ani.raw.slice(0, 64),
      ani: hints.ani.kind === 'number' ? hints.ani.e164 : null,
      dnis: hints.dnis?.slice(0, 64) ?? null,
      lineType,
    };
  }

  private countCall(customer: Customer, now: Date): void {
    customer.callCount += 1;
    customer.lastCallAt = now;
    customer.updatedAt = now;
  }
}
