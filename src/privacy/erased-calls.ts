/**
 * The call path's side of erasure (docs/decisions.md, Issue 12, Privacy): what a start or end answers when
 * the tombstones say it belongs to an erased customer. Called by CallService only where no call row was
 * found, with one indexed lookup of the tombstones; nothing here writes.
 *
 * - A start of an erased call_id is answered as a brand-new caller (confidence 0, `low`, `ignore`, no
 *   intents, no variables) under a stand-in ref that names no stored customer; nothing is stored, so its
 *   hints are neither matched nor learnt and old memory is never replayed.
 * - An end of an erased call_id, or one carrying an erased customer_ref, or one whose identifying hints
 *   are all erased numbers or external ids, writes nothing: 200 in the contract's shape with
 *   `intents_updated` and `variables_updated` 0, `call_start` = `call_end` = now.
 */
import type { CallRecord } from '../calls/call.sql';
import type { EndCallResult, StartCallResult } from '../calls/call.types';
import { newCustomer, type CustomerRecord } from '../customers/customer.sql';
import type { Sql } from '../db/sql';
import { refKey, type CleanHints } from '../identity/identity-hints';
import { LineTypeName } from '../identity/line-type';
import { newRowId } from '../shared/row-id';
import type { Tenant } from '../tenancy/environment';
import { tombstonedDigests } from './privacy.sql';
import type { TombstoneDigests } from './tombstone-digest';

/** The end request's parts the check reads. */
export interface EndHints {
  customerRef?: string;
  hints?: CleanHints;
}

/** Answers for the calls of erased customers. */
export class ErasedCalls {
  constructor(private readonly digests: TombstoneDigests) {}

  /** The answer to a start of an erased call_id, or null when the call_id has no tombstone. */
  async start(sql: Sql, tenant: Tenant, callId: string, now: Date): Promise<StartCallResult | null> {
    const digest = this.digests.call(tenant, callId);
    if ((await tombstonedDigests(sql, tenant, [digest])).size === 0) return null;
    const { call, customer } = this.standIn(tenant, callId, digest, now, null);
    const identification = { confidence: 0, level: 'low' as const, sources: [], recommendation: 'ignore' as const };
    return { call, customer, identification, openIntents: [], variables: [], previousCallAt: null, callCount: 1, lastIntent: null, replayed: false };
  }

  /** The answer to an end with no call row that must write nothing, or null when it is an ordinary standalone end. */
  async end(sql: Sql, tenant: Tenant, callId: string, request: EndHints, now: Date): Promise<EndCallResult | null> {
    const callDigest = this.digests.call(tenant, callId);
    const ref = refKey(request.customerRef ?? request.hints?.customerRef);
    const refDigest = ref === null ? null : this.digests.ref(tenant, ref);
    const identities = this.identityDigests(tenant, request.hints);
    const hit = await tombstonedDigests(sql, tenant, [callDigest, ...(refDigest ? [refDigest] : []), ...identities]);
    if (hit.size === 0) return null;
    const erased = hit.has(callDigest) || (refDigest !== null && hit.has(refDigest)) || (refDigest === null && identities.length > 0 && identities.every((d) => hit.has(d)));
    if (!erased) return null;
    const { call, customer } = this.standIn(tenant, callId, callDigest, now, now);
    return { call, customer, intentsUpdated: 0, variablesUpdated: 0, replayed: false };
  }

  /** Digests of the identifying number and external ids among the hints. */
  private identityDigests(tenant: Tenant, hints: CleanHints | undefined): string[] {
    if (!hints) return [];
    const digests = Object.entries(hints.externalIds).map(([key, value]) => this.digests.external(tenant, key, value));
    if (hints.ani.kind === 'number') digests.push(this.digests.phone(tenant, hints.ani.e164));
    return digests;
  }

  /** The unsaved call and customer an answer shows: empty, provisional, under the call's stand-in ref. */
  private standIn(tenant: Tenant, callId: string, callDigest: string, now: Date, endedAt: Date | null): { call: CallRecord; customer: CustomerRecord } {
    const customer: CustomerRecord = { ...newCustomer(tenant, now, true), ref: this.digests.standInRef(callDigest) };
    const call: CallRecord = {
      id: newRowId(),
      ...tenant,
      callId,
      customer: { id: customer.id },
      startedAt: now,
      endedAt,
      durationSeconds: endedAt ? 0 : null,
      aniRaw: null,
      ani: null,
      dnis: null,
      lineType: LineTypeName.UNKNOWN,
      confidence: 0,
      level: 'low',
      recommendation: 'ignore',
      sources: [],
      intent: null,
      intentStatus: null,
      variablesWritten: [],
      startFingerprint: null,
      endFingerprint: null,
      startSnapshot: null,
      intentsUpdated: endedAt ? 0 : null,
      variablesUpdated: endedAt ? 0 : null,
      previousCallAt: null,
      csat: null,
    };
    return { call, customer };
  }
}
