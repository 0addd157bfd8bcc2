/**
 * The REST wire format of /v1/calls/start and /v1/calls/end (contract §2, §3), as zod schemas that accept
 * what platforms send (numbers for strings, "true" for true, top-level aliases) and report every problem.
 * Their `.meta()` is the request side of the OpenAPI document (src/api-docs/): what a client may send.
 */
import { z } from 'zod';

import { LINE_TYPES } from '../identity/confidence';
import { isUnfilled } from '../identity/hints';
import { MAX_EXTERNAL_IDS, TOO_MANY_EXTERNAL_IDS } from '../identity/identity-hints';
import { isStorableText, UNSTORABLE_TEXT } from '../shared/text';
import { VARIABLE_NAME, VARIABLE_NAME_RULE } from '../variables/variable.service';
import { MAX_CALL_ID_LENGTH } from './call-id';

const MISSING_CALL_ID = "Required field 'call_id' is missing";

/** Every string of the wire format, keys included: text the database can store as sent (shared/text.ts). */
const text = (params?: { error: string }) => z.string(params).refine(isStorableText, UNSTORABLE_TEXT);

/** A scalar hint: a string of at most `max` characters, or a number (LLM agents send numbers), or null. */
const hint = (max: number) =>
  z.union([text().max(max, `must be at most ${max} characters`), z.number().transform(String), z.null()], {
    error: 'must be a string',
  });

/**
 * An object of client-chosen keys (variable names, external id keys) as a Map of its entries. zod's
 * record, like any plain object built by assignment, drops a key named `__proto__`; a Map keeps every key
 * as data. Issues are reported at `[key, …]` as a record's are, a bad key with its schema's first message.
 */
function keyedMap<V extends z.ZodType>(key: z.ZodType<string>, value: V, notAnObject: string) {
  // What a client sends is an object of those keys and values: the document shows that, not the Map.
  const documented = z.toJSONSchema(z.record(key, value), { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  delete documented.$schema;
  const map = z.unknown().transform((input, ctx) => {
    const entries = new Map<string, z.output<V>>();
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      ctx.addIssue({ code: 'custom', message: notAnObject, input });
      return z.NEVER;
    }
    for (const [name, raw] of Object.entries(input)) {
      const keyCheck = key.safeParse(name);
      if (!keyCheck.success) ctx.addIssue({ code: 'custom', message: keyCheck.error.issues[0].message, path: [name], input: name });
      const parsed = value.safeParse(raw);
      if (parsed.success) entries.set(name, parsed.data);
      else for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [name, ...issue.path], input: raw });
    }
    return entries;
  });
  return map.meta({ override: ({ jsonSchema }: { jsonSchema: object }) => Object.assign(jsonSchema, documented) });
}

const externalIds = keyedMap(text().max(64, 'external id keys must be at most 64 characters'), hint(256), 'external_ids must be an object of strings')
  .refine((ids) => ids.size <= MAX_EXTERNAL_IDS, TOO_MANY_EXTERNAL_IDS)
  .meta({
    description: `CRM id, account number, email… by name (at most ${MAX_EXTERNAL_IDS}). Per-call ids (five9_call_id, call_sid, contact_id, session_id, …) are never used as identities.`,
    example: { crm_id: 'C-1042' },
  });

const ABSENT = 'Empty, whitespace, `null`/`undefined` as text and unsubstituted placeholders (`$(call.ani)`, `{{caller_phone}}`, `@Call.ANI@`) count as absent.';

const hintsShape = {
  ani: hint(64)
    .optional()
    .meta({ description: `The caller's number in any common format (\`4155551234\`, \`(415) 555-1234\`, \`+14155551234\`). A withheld number (\`anonymous\`, \`restricted\`, zeros…) never matches. ${ABSENT}`, example: '+14155551234' }),
  dnis: hint(64).optional().meta({ description: 'The dialled number: stored on the call, not used for matching.', example: '8005550100' }),
  external_ids: externalIds.nullish(),
  customer_ref: hint(64).optional().meta({ description: 'A `customer_ref` returned by an earlier start (matches with confidence 1).' }),
};

const identityHints = z
  .object(hintsShape, { error: 'identity_hints must be an object' })
  .meta({ description: 'What identifies the caller: at least one usable `ani`, `external_ids` or `customer_ref`. Unknown fields are ignored.' });

const callId = z
  .union([text().meta({ minLength: 1, maxLength: MAX_CALL_ID_LENGTH }), z.number().transform(String)], {
    error: (issue) => (issue.input === undefined ? MISSING_CALL_ID : 'call_id must be a string'),
  })
  .refine((id) => id.trim().length >= 1 && id.trim().length <= MAX_CALL_ID_LENGTH, {
    error: `call_id must be 1-${MAX_CALL_ID_LENGTH} characters`,
  })
  // An IVR that failed to substitute its call-id variable would make every caller the same call.
  .refine((id) => id.trim() === '' || !isUnfilled(id), {
    error: 'call_id is an unsubstituted placeholder',
  })
  .meta({
    description: `The platform's call id, 1-${MAX_CALL_ID_LENGTH} characters after trimming; the same in start and end. An unsubstituted placeholder is refused.`,
    example: 'call_001',
  });

/** Platforms send unset variables as "" or as the placeholder itself: such optional fields are absent. */
const absentIfBlank = (value: unknown) => (typeof value === 'string' && isUnfilled(value) ? undefined : value);

const telco = z
  .object(
    {
      line_type: z
        .enum(LINE_TYPES, { error: `line_type must be one of ${LINE_TYPES.join(', ')}` })
        .nullish()
        .catch(undefined)
        .meta({ description: 'Changes the weight of an ANI match; another value counts as not sent.' }),
    },
    { error: 'telco must be an object' },
  )
  .nullish();

/** The hints of a request: `identity_hints`, or the top-level aliases when it is absent. */
export type WireHints = z.infer<typeof identityHints>;

const ALIASES = 'The top-level `ani`, `dnis`, `external_ids` and `customer_ref` are aliases (LLM agents send them), read when `identity_hints` is absent.';

/** POST /v1/calls/start. */
export const startCallBody = z
  .object({
    call_id: callId,
    identity_hints: identityHints.nullish(),
    ...hintsShape,
    telco,
  })
  .meta({
    id: 'StartCallRequest',
    description: `Identify the caller. ${ALIASES}`,
    example: { call_id: 'call_001', identity_hints: { ani: '4155551234', dnis: '8005550100', external_ids: { crm_id: 'C-1042' } }, telco: { line_type: 'mobile' } },
  });
export type StartCallBody = z.infer<typeof startCallBody>;

const booleanish = z.union([z.boolean(), z.enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False']).transform((v) => v.toLowerCase() === 'true')], {
  error: 'intent_is_open must be true or false',
});

const variableObject = z.object({
  value: z.union([text(), z.number().transform(String), z.boolean().transform(String), z.null()], {
    error: 'value must be a string, number, boolean or null',
  }),
  ttl_seconds: z.coerce.number({ error: 'ttl_seconds must be a number' }).int('ttl_seconds must be a whole number').positive('ttl_seconds must be positive').nullish(),
  source: text({ error: 'source must be a string' }).max(64, 'source must be at most 64 characters').nullish(),
});

const variableValue = z.union(
  [text(), z.number().transform(String), z.boolean().transform(String), z.null(), variableObject],
  { error: 'variable values must be a string, number, boolean, null or {"value", "ttl_seconds", "source"}' },
);

/** POST /v1/calls/end. */
export const endCallBody = z
  .object({
    call_id: callId,
    identity_hints: identityHints.nullish(),
    ...hintsShape,
    telco,
    intent: hint(512)
      .optional()
      .meta({ description: 'What the call was about; stored normalised (`Refund Request` → `refund_request`, at most 128 characters).', example: 'Refund Request' }),
    intent_status: z
      .preprocess(
        (v) => (typeof v === 'string' ? absentIfBlank(v.trim().toLowerCase()) : v),
        z.enum(['open', 'resolved', 'abandoned'], { error: 'intent_status must be one of open, resolved, abandoned' }).nullish(),
      )
      .meta({ description: 'Any case; `open` when `intent` is given without it. Empty or an unsubstituted placeholder counts as not sent.' }),
    intent_is_open: z
      .preprocess(absentIfBlank, booleanish.nullish())
      .meta({ description: 'Alias of `intent_status` (LLM prompts): true → `open`, false → `resolved`.' }),
    variables: keyedMap(z.string().regex(VARIABLE_NAME, VARIABLE_NAME_RULE), variableValue, 'variables must be an object of name to value')
      .nullish()
      .meta({
        description:
          'Facts to remember by name (`[A-Za-z0-9_.-]{1,64}`, at most 100 per request, values at most 4096 characters, 16 KB per customer). Scalars are stored as strings; `null` deletes; the object form sets a TTL or source. Empty or unsubstituted values are not written.',
        example: { name: 'John Doe', tier: 'gold', callback: { value: 'tomorrow', ttl_seconds: 86400, source: 'ivr' } },
      }),
  })
  .meta({
    id: 'EndCallRequest',
    description: `Save what the call taught us. After a start, \`customer_ref\` may be empty; a call that was never started needs \`customer_ref\` or \`identity_hints\` (recorded with start = end). ${ALIASES}`,
    example: { call_id: 'call_001', customer_ref: 'a1b2c3d4-e5f6-4890-abcd-ef1234567890', intent: 'Refund Request', intent_status: 'resolved', variables: { name: 'John Doe' } },
  });
export type EndCallBody = z.infer<typeof endCallBody>;
