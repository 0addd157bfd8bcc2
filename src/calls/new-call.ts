/** The row a call's start (or a standalone end) inserts, before what its end records. */
import type { CustomerRecord } from '../customers/customer.sql';
import type { Identification } from '../identity/confidence';
import type { CleanHints } from '../identity/identity-hints';
import type { LineTypeName } from '../identity/line-type';
import type { NewCall } from './call.sql';

/** The fields of a new call row; `previousCallAt` is the customer's previous call start. */
export function newCall(
  callId: string,
  customer: CustomerRecord,
  hints: CleanHints,
  lineType: LineTypeName,
  identification: Identification,
  now: Date,
  previousCallAt: Date | null,
): NewCall {
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
