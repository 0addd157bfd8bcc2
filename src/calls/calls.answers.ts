/**
 * The REST answers of /v1/calls/start and /v1/calls/end (contract §2, §2.1, §3) as zod schemas: the types
 * the presenter returns, and the response schemas of the OpenAPI document (src/api-docs/), so the document
 * and the code cannot describe two different answers.
 */
import { z } from 'zod';

const LEVELS = ['very_high', 'high', 'medium', 'low'] as const;
const RECOMMENDATIONS = ['reuse', 'confirm', 'ignore'] as const;
const INTENT_STATUSES = ['open', 'resolved', 'abandoned'] as const;

const T0 = '2026-02-07T10:30:00.000Z';
const REF = 'a1b2c3d4-e5f6-4890-abcd-ef1234567890';

/** An ISO-8601 UTC time with milliseconds, as every answer writes times. */
const instant = (description: string) => z.iso.datetime({ precision: 3 }).meta({ description, example: T0 });

const customerRef = z.uuid().meta({ description: "The customer's reference (a UUID): send it back at the end.", example: REF });

/** One field of the `flat` block: its name, its JSON type in the full answer, and what it says. */
interface FlatField {
  name: string;
  type: 'string' | 'number';
  description: string;
}

/** The keys of `flat` in the order they are written (contract §2.1); every key is always present. */
export const FLAT_FIELDS = [
  { name: 'customer_ref', type: 'string', description: "The customer's reference (UUID)." },
  { name: 'confidence', type: 'number', description: 'How sure the match is, 0 to 1, two decimals.' },
  { name: 'level', type: 'string', description: '`very_high` ≥ 0.9, `high` ≥ 0.7, `medium` ≥ 0.5, else `low`.' },
  { name: 'recommendation', type: 'string', description: '`reuse` ≥ 0.5, `confirm` ≥ 0.3, else `ignore`.' },
  { name: 'is_returning', type: 'string', description: '`"true"` when the customer called before, else `"false"`.' },
  { name: 'customer_name', type: 'string', description: "The customer's `name` variable, or empty." },
  { name: 'open_intent', type: 'string', description: 'The most recently updated open intent, or empty.' },
  { name: 'open_intents', type: 'string', description: 'Every open intent, comma-joined (so "contains refund" works).' },
  { name: 'open_intent_count', type: 'number', description: 'How many intents are open.' },
  { name: 'attempt_count', type: 'number', description: 'Attempts on `open_intent` (0 when none).' },
  { name: 'last_call_at', type: 'string', description: "The previous call's start (ISO-8601 UTC), or empty." },
  { name: 'last_intent', type: 'string', description: 'The intent of the latest call that reported one, or empty.' },
  { name: 'last_intent_status', type: 'string', description: '`open`, `resolved`, `abandoned`, or empty.' },
  { name: 'call_count', type: 'number', description: "The customer's calls, this one included." },
  { name: 'context', type: 'string', description: 'One readable line for an agent: when they last called, about what, its status, the latest notes.' },
  { name: 'screen_pop_url', type: 'string', description: 'A signed link to the read-only agent page for this call (no key needed).' },
] as const satisfies readonly FlatField[];

type Field = (typeof FLAT_FIELDS)[number];
/** The zod shape of the flat block: numbers where the full answer has them, or strings throughout. */
type FlatShape<AllStrings extends boolean> = {
  [F in Field as F['name']]: AllStrings extends true ? z.ZodString : F['type'] extends 'number' ? z.ZodNumber : z.ZodString;
};

const FLAT_EXAMPLE = {
  customer_ref: REF,
  confidence: 0.4,
  level: 'low',
  recommendation: 'confirm',
  is_returning: 'true',
  customer_name: 'John Doe',
  open_intent: '',
  open_intents: '',
  open_intent_count: 0,
  attempt_count: 0,
  last_call_at: '2026-02-06T10:30:00.000Z',
  last_intent: 'refund_request',
  last_intent_status: 'resolved',
  call_count: 2,
  context: 'Last called yesterday (2026-02-06) about refund_request (resolved).',
  screen_pop_url: 'https://memory.example.com/screen-pop/AQEj2zOLFpxL6p96…',
};

const flatShape = <AllStrings extends boolean>(allStrings: AllStrings) =>
  Object.fromEntries(
    FLAT_FIELDS.map((f) => [f.name, (f.type === 'number' && !allStrings ? z.number() : z.string()).meta({ description: f.description })]),
  ) as FlatShape<AllStrings>;

/** `flat` inside the full start answer: strings and numbers, every key present. */
export const flatBlock = z.strictObject(flatShape(false)).meta({
  id: 'FlatBlock',
  description: 'The start answer flattened for JSON-path mapping: every key always present, empty string when unknown.',
  example: FLAT_EXAMPLE,
});

/** `POST /v1/calls/start?format=flat`: the flat block alone, every value a string (Amazon Connect, Genesys). */
export const flatAnswer = z.strictObject(flatShape(true)).meta({
  id: 'FlatStartAnswer',
  description: 'The `flat` block alone with every value a string: for Amazon Connect (STRING_MAP) and Genesys data actions.',
  example: Object.fromEntries(Object.entries(FLAT_EXAMPLE).map(([k, v]) => [k, String(v)])),
});

const variable = z.strictObject({
  value: z.string().meta({ description: 'Stored as a string.' }),
  source: z.string().nullable().meta({ description: 'Who wrote it, or null.' }),
  ttl_seconds: z.number().int().positive().meta({ description: "The variable's configured time to live." }),
});

/** The start answer (200). */
export const startAnswer = z
  .strictObject({
    call_id: z.string().meta({ description: 'The call id, trimmed.', example: 'call_001' }),
    customer_ref: customerRef,
    call_start: instant('When the call started (the first start, on a replay).'),
    identity: z.strictObject({
      confidence: z.number().min(0).max(1).meta({ description: 'Sum of the matched signals, clamped to [0,1], two decimals.' }),
      level: z.enum(LEVELS),
      sources: z.array(z.string()).meta({
        description: 'Signals that matched: `customer_ref`, `external_id`, `ani:<line_type>`, `ani:shared`, `recency:<N>day`, `conflict`.',
      }),
      recommendation: z.enum(RECOMMENDATIONS),
    }),
    open_intents: z
      .array(z.strictObject({ intent: z.string(), status: z.enum(INTENT_STATUSES), attempt_count: z.number().int().min(1) }))
      .meta({ description: 'Unresolved intents (open or abandoned), most recently updated first.' }),
    variables: z.record(z.string(), variable).meta({ description: 'Every unexpired variable by name.' }),
    flat: flatBlock,
  })
  .meta({
    id: 'StartAnswer',
    example: {
      call_id: 'call_002',
      customer_ref: REF,
      call_start: '2026-02-07T10:30:00.000Z',
      identity: { confidence: 0.4, level: 'low', sources: ['ani:unknown', 'recency:1day'], recommendation: 'confirm' },
      open_intents: [],
      variables: { name: { value: 'John Doe', source: null, ttl_seconds: 2592000 } },
      flat: FLAT_EXAMPLE,
    },
  });

/** The end answer (200). */
export const endAnswer = z
  .strictObject({
    call_id: z.string(),
    customer_ref: customerRef,
    call_start: instant('When the call started (the end itself, for a call recorded by its end alone).'),
    call_end: instant('When the call ended.'),
    duration_seconds: z.number().int().min(0),
    intents_updated: z.number().int().min(0),
    variables_updated: z.number().int().min(0),
  })
  .meta({
    id: 'EndAnswer',
    example: {
      call_id: 'call_001',
      customer_ref: REF,
      call_start: '2026-02-07T10:30:00.000Z',
      call_end: '2026-02-07T10:30:15.000Z',
      duration_seconds: 15,
      intents_updated: 1,
      variables_updated: 2,
    },
  });

/** The start answer's type. */
export type StartAnswer = z.infer<typeof startAnswer>;
/** The flat block's type (strings and numbers). */
export type FlatBlock = z.infer<typeof flatBlock>;
/** The `?format=flat` answer's type (strings only). */
export type FlatAnswer = z.infer<typeof flatAnswer>;
/** The end answer's type. */
export type EndAnswer = z.infer<typeof endAnswer>;
