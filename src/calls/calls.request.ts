/**
 * From the REST wire format to the GraphQL mutation inputs: aliases resolved, maps turned into lists,
 * snake_case into camelCase. Validation issues come back in the contract's shape, all of them at once.
 */
import type { z } from 'zod';

import { AppError, type Issue } from '../errors/app-error';
import { isUnfilled } from '../identity/hints';
import { cleanHints, hasUsableHint } from '../identity/identity-hints';
import type { MemoryRules } from '../shared/memory-rules';
import type { EndCallBody, StartCallBody, WireHints } from './calls.schema';

const NO_HINT = 'identity_hints must include ani, external_ids, or customer_ref';

/** `identity_hints`, or the top-level aliases LLM agents send when it is absent. */
function wireHints(body: StartCallBody | EndCallBody): WireHints | undefined {
  if (body.identity_hints) return body.identity_hints;
  const { ani, dnis, external_ids, customer_ref } = body;
  return ani != null || dnis != null || external_ids != null || customer_ref != null ? { ani, dnis, external_ids, customer_ref } : undefined;
}

function hintsInput(hints: WireHints, lineType: string | null | undefined) {
  const externalIds = [...(hints.external_ids ?? [])]
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([key, value]) => ({ key, value }));
  return {
    ani: hints.ani ?? null,
    dnis: hints.dnis ?? null,
    externalIds,
    customerRef: hints.customer_ref ?? null,
    lineType: lineType ? lineType.toUpperCase() : null,
  };
}

/** Parses a body with a schema, or throws BAD_USER_INPUT listing every issue, `extra` ones included. */
export function parseOrFail<S extends z.ZodType>(schema: S, body: unknown, extra: (raw: Record<string, unknown>) => Issue[] = () => []): z.infer<S> {
  const parsed = schema.safeParse(body);
  const issues: Issue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));
  issues.push(...extra((body ?? {}) as Record<string, unknown>));
  if (!parsed.success || issues.length > 0) throw AppError.validation(issues);
  return parsed.data;
}

const scalar = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

/** The issue a start without any usable hint gets (the domain enforces it too; here it joins the others). */
export function hintIssues(raw: Record<string, unknown>, rules: MemoryRules): Issue[] {
  const nested = raw.identity_hints;
  const hints = (nested && typeof nested === 'object' ? nested : raw) as Record<string, unknown>;
  const ids = hints.external_ids && typeof hints.external_ids === 'object' ? (hints.external_ids as Record<string, unknown>) : {};
  const externalIds = Object.fromEntries(Object.entries(ids).flatMap(([k, v]) => (scalar(v) ? [[k, scalar(v) as string]] : [])));
  const clean = cleanHints({ ani: scalar(hints.ani), externalIds, customerRef: scalar(hints.customer_ref) }, rules);
  return hasUsableHint(clean) ? [] : [{ path: ['identity_hints'], message: NO_HINT }];
}

/** startCall's input for a start body. */
export function startInput(body: StartCallBody) {
  return { callId: body.call_id, hints: hintsInput(wireHints(body) ?? {}, body.telco?.line_type) };
}

function intentStatus(body: EndCallBody): string | null {
  if (body.intent_status) return body.intent_status.toUpperCase();
  if (body.intent_is_open == null) return null;
  return body.intent_is_open ? 'OPEN' : 'RESOLVED';
}

/** endCall's input for an end body. */
export function endInput(body: EndCallBody) {
  const hints = wireHints({ ...body, customer_ref: undefined });
  // An empty or unsubstituted value ("", "@Call.notes@") means the platform had nothing: write nothing.
  const variables = [...(body.variables ?? [])]
    .map(([name, value]) =>
      value !== null && typeof value === 'object'
        ? { name, value: value.value, ttlSeconds: value.ttl_seconds ?? null, source: value.source ?? null }
        : { name, value },
    )
    .filter((v) => v.value === null || !isUnfilled(v.value));
  return {
    callId: body.call_id,
    customerRef: body.customer_ref ?? null,
    hints: hints ? hintsInput(hints, body.telco?.line_type) : null,
    intent: body.intent ?? null,
    intentStatus: intentStatus(body),
    variables,
  };
}
