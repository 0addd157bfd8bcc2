/**
 * The REST answers of DELETE and GET /v1/customers/{ref} as zod schemas (the presenters' types and the
 * OpenAPI document's response schemas), and the presenters that write them in snake_case.
 */
import { z } from 'zod';

import type { StartSnapshot } from '../calls/call.entity';
import type { CustomerExport, ExportedIntent, ExportedVariable } from './customer-export';
import type { Erasure } from './privacy.service';

const T0 = '2026-02-07T10:30:00.000Z';
const REF = 'a1b2c3d4-e5f6-4890-abcd-ef1234567890';

const instant = (description: string) => z.iso.datetime({ precision: 3 }).meta({ description, example: T0 });
const nullableInstant = (description: string) => z.iso.datetime({ precision: 3 }).nullable().meta({ description, example: T0 });
const count = (description: string) => z.number().int().min(0).meta({ description });

/** DELETE /v1/customers/{ref}. */
export const eraseAnswer = z
  .strictObject({
    customer_ref: z.uuid().meta({ description: 'The erased customer’s ref (for a merged customer’s ref: the customer it was merged into).', example: REF }),
    erased_at: instant('When the customer was erased.'),
    erased: z
      .strictObject({
        calls: count('Calls deleted.'),
        identities: count('Numbers and external ids deleted.'),
        intents: count('Intents deleted.'),
        variables: count('Variables deleted, expired ones included.'),
      })
      .meta({ description: 'What was deleted.' }),
    tombstones: count('Keyed-hash tombstones written or renewed (call ids, refs, numbers no other customer holds, external ids).'),
  })
  .meta({ id: 'Erasure', description: 'What an erase removed.' });

const phone = z.strictObject({
  number: z.string().meta({ description: 'The number in E.164.' }),
  line_type: z.string(),
  first_seen_at: instant('When the number was first seen.'),
  last_seen_at: instant('When it was last seen.'),
});

const externalId = z.strictObject({
  key: z.string(),
  value: z.string(),
  first_seen_at: instant('When the id was first seen.'),
  last_seen_at: instant('When it was last seen.'),
});

const snapshotIntent = z.strictObject({
  id: z.string(),
  intent: z.string(),
  status: z.string(),
  attempt_count: z.number().int(),
  last_call_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

const startSnapshot = z
  .strictObject({
    previous_call_at: z.string().nullable().meta({ description: 'Start of the customer’s previous call, as known then.' }),
    call_count: z.number().int().nullable().meta({ description: 'Calls recorded for the customer including this one (null for calls stored before it was kept).' }),
    last_intent: snapshotIntent.nullable(),
    open_intents: z.array(snapshotIntent),
    variables: z.array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        value: z.string(),
        source: z.string().nullable(),
        ttl_seconds: z.number().int(),
        expires_at: z.string(),
        last_call_id: z.string().nullable(),
        updated_at: z.string(),
      }),
    ),
  })
  .nullable()
  .meta({
    description:
      'What the call’s start answered (open intents, variables, history), as stored to replay a retried start; null once REPLAY_WINDOW_HOURS have passed and the purge has dropped it.',
  });

/** An intent in snake_case, as the export lists it and (with its row id) as a start snapshot holds it. */
const presentIntent = (i: ExportedIntent) => ({
  intent: i.name,
  status: i.status,
  attempt_count: i.attemptCount,
  last_call_id: i.lastCallId,
  created_at: i.createdAt,
  updated_at: i.updatedAt,
});

/** A variable in snake_case, as the export lists it and (with its row id) as a start snapshot holds it. */
const presentVariable = (v: ExportedVariable) => ({
  name: v.name,
  value: v.value,
  source: v.source,
  ttl_seconds: v.ttlSeconds,
  expires_at: v.expiresAt,
  last_call_id: v.lastCallId,
  updated_at: v.updatedAt,
});

const presentSnapshotIntent = (i: ExportedIntent & { id: string }): z.infer<typeof snapshotIntent> => ({ id: i.id, ...presentIntent(i) });

/** A stored start snapshot in snake_case. */
function presentSnapshot(s: StartSnapshot | null): z.infer<typeof startSnapshot> {
  if (!s) return null;
  return {
    previous_call_at: s.previousCallAt ?? null,
    call_count: s.callCount ?? null,
    last_intent: s.lastIntent ? presentSnapshotIntent(s.lastIntent) : null,
    open_intents: s.openIntents.map(presentSnapshotIntent),
    variables: s.variables.map((v) => ({ id: v.id, ...presentVariable(v) })),
  };
}

const call = z.strictObject({
  call_id: z.string(),
  call_start: instant('When the call started.'),
  call_end: nullableInstant('When it ended; null while in progress.'),
  duration_seconds: z.number().int().nullable(),
  ani: z.string().nullable().meta({ description: 'The caller number in E.164, when it was a usable number.' }),
  ani_as_sent: z.string().nullable().meta({ description: 'The ANI exactly as the platform sent it.' }),
  dnis: z.string().nullable(),
  line_type: z.string(),
  confidence: z.number(),
  level: z.string(),
  recommendation: z.string(),
  sources: z.array(z.string()),
  intent: z.string().nullable(),
  intent_status: z.string().nullable(),
  variables_written: z.array(z.string()),
  csat: z.number().nullable(),
  start_snapshot: startSnapshot,
});

const intent = z.strictObject({
  intent: z.string(),
  status: z.string(),
  attempt_count: z.number().int(),
  last_call_id: z.string().nullable(),
  created_at: instant('When it was first raised.'),
  updated_at: instant('When it last changed.'),
});

const variable = z.strictObject({
  name: z.string(),
  value: z.string(),
  source: z.string().nullable(),
  ttl_seconds: z.number().int(),
  expires_at: instant('When it stops being returned (an expired one is listed until the purge deletes it).'),
  last_call_id: z.string().nullable(),
  updated_at: instant('When it was last written.'),
});

/** GET /v1/customers/{ref}. */
export const exportAnswer = z
  .strictObject({
    customer: z.strictObject({
      customer_ref: z.uuid().meta({ example: REF }),
      provisional: z.boolean(),
      call_count: z.number().int(),
      last_call_at: nullableInstant('Start of the latest call.'),
      created_at: instant('When the customer was first seen.'),
      updated_at: instant('When anything about it last changed.'),
    }),
    merged_refs: z.array(z.uuid()).meta({ description: 'Refs of customers merged into this one (they resolve to it).' }),
    identities: z.strictObject({ phones: z.array(phone), external_ids: z.array(externalId) }),
    calls: z.array(call).meta({ description: 'Every call, newest first, with its outcome and start snapshot; always all of them, however many.' }),
    intents: z.array(intent).meta({ description: 'Every intent, any status, most recently updated first.' }),
    variables: z.array(variable).meta({ description: 'Every stored variable, by name.' }),
    exported_at: instant('When this export was made.'),
  })
  .meta({ id: 'CustomerExport', description: 'Everything held about one customer.' });

/** The erase answer. */
export function presentErasure(erasure: Erasure): z.infer<typeof eraseAnswer> {
  return {
    customer_ref: erasure.customerRef,
    erased_at: erasure.erasedAt.toISOString(),
    erased: { calls: erasure.calls, identities: erasure.identities, intents: erasure.intents, variables: erasure.variables },
    tombstones: erasure.tombstones,
  };
}

/** The export answer. */
export function presentExport(e: CustomerExport): z.infer<typeof exportAnswer> {
  return {
    customer: {
      customer_ref: e.customer.ref,
      provisional: e.customer.provisional,
      call_count: e.customer.callCount,
      last_call_at: e.customer.lastCallAt,
      created_at: e.customer.createdAt,
      updated_at: e.customer.updatedAt,
    },
    merged_refs: e.mergedRefs,
    identities: {
      phones: e.phones.map((p) => ({ number: p.number, line_type: p.lineType, first_seen_at: p.firstSeenAt, last_seen_at: p.lastSeenAt })),
      external_ids: e.externalIds.map((x) => ({ key: x.key, value: x.value, first_seen_at: x.firstSeenAt, last_seen_at: x.lastSeenAt })),
    },
    calls: e.calls.map((c) => ({
      call_id: c.callId,
      call_start: c.startedAt,
      call_end: c.endedAt,
      duration_seconds: c.durationSeconds,
      ani: c.ani,
      ani_as_sent: c.aniAsSent,
      dnis: c.dnis,
      line_type: c.lineType,
      confidence: c.confidence,
      level: c.level,
      recommendation: c.recommendation,
      sources: c.sources,
      intent: c.intent,
      intent_status: c.intentStatus,
      variables_written: c.variablesWritten,
      csat: c.csat,
      start_snapshot: presentSnapshot(c.startSnapshot),
    })),
    intents: e.intents.map(presentIntent),
    variables: e.variables.map(presentVariable),
    exported_at: e.exportedAt,
  };
}
