/**
 * Shapes the mutation results into the hosted API's wire format (contract §2, §2.1, §3): key order as in
 * the contract's examples, snake_case, variables as a map, and the `flat` block for JSON-path mapping.
 * The answers' types come from their zod schemas (calls.answers.ts), which the OpenAPI document shows.
 */
import type { EndAnswer, FlatAnswer, FlatBlock, StartAnswer } from './calls.answers';
import type { EndCallData, IntentData, StartCallData } from './calls.operations';
import { contextLine } from './context-line';

type Start = StartCallData['startCall'];

const status = (s: IntentData['status']) => s.toLowerCase() as Lowercase<IntentData['status']>;

/** The `flat` block. */
export function flatten(start: Start): FlatBlock {
  const first = start.openIntents[0];
  return {
    customer_ref: start.customer.ref,
    confidence: start.identification.confidence,
    level: start.identification.level,
    recommendation: start.identification.recommendation,
    is_returning: start.previousCallAt ? 'true' : 'false',
    customer_name: start.variables.find((v) => v.name === 'name')?.value ?? '',
    open_intent: first?.name ?? '',
    open_intents: start.openIntents.map((i) => i.name).join(','),
    open_intent_count: start.openIntents.length,
    attempt_count: first?.attemptCount ?? 0,
    last_call_at: start.previousCallAt ?? '',
    last_intent: start.lastIntent?.name ?? '',
    last_intent_status: start.lastIntent ? status(start.lastIntent.status) : '',
    call_count: start.callCount,
    context: contextLine(start),
    screen_pop_url: start.screenPopUrl,
  };
}

/** The start answer. */
export function presentStart({ startCall: start }: StartCallData): StartAnswer {
  return {
    call_id: start.call.callId,
    customer_ref: start.customer.ref,
    call_start: start.call.startedAt,
    identity: {
      confidence: start.identification.confidence,
      level: start.identification.level,
      sources: start.identification.sources,
      recommendation: start.identification.recommendation,
    },
    open_intents: start.openIntents.map((i) => ({ intent: i.name, status: status(i.status), attempt_count: i.attemptCount })),
    variables: Object.fromEntries(
      start.variables.map((v) => [v.name, { value: v.value, source: v.source, ttl_seconds: v.ttlSeconds }]),
    ),
    flat: flatten(start),
  };
}

/** `?format=flat`: the flat block alone, every value a string (Amazon Connect STRING_MAP, Genesys). */
export function presentFlat(data: StartCallData): FlatAnswer {
  return Object.fromEntries(Object.entries(flatten(data.startCall)).map(([k, v]) => [k, String(v)])) as FlatAnswer;
}

/** The end answer. */
export function presentEnd({ endCall: end }: EndCallData): EndAnswer {
  return {
    call_id: end.call.callId,
    customer_ref: end.customer.ref,
    call_start: end.call.startedAt,
    call_end: end.call.endedAt,
    duration_seconds: end.call.durationSeconds,
    intents_updated: end.intentsUpdated,
    variables_updated: end.variablesUpdated,
  };
}
