/**
 * What a request's access-log line says beyond method, route and status, so an integrator quoting an
 * `X-Request-Id` can be told why it failed: the call it was about, the GraphQL operation, the error code
 * and, on a 4xx, where the input was wrong. Each is noted on `res.locals.log` where it becomes known (the
 * REST routes, the error handlers, the GraphQL plugin); http/access-log.ts writes them.
 *
 * Never a value a caller gave: issue paths keep only key names shaped like identifiers and list indexes
 * (`variables.*`, not a key that is a phone number), never the issue's message.
 */
import type { Issue } from '../errors/app-error';
import { MAX_CALL_ID_LENGTH } from '../calls/call-id';
import { maskPhoneNumbersIn } from '../logging/phone-in-text';

/** The fields noted for the access log. */
export interface RequestLogFields {
  /** The call the request is about (REST `call_id`, GraphQL `callId`). */
  callId?: string;
  /** The GraphQL operation's name. */
  operation?: string;
  /** The answer's error code (of a GraphQL answer with several errors, the first one's). */
  code?: string;
  /** Where the input was wrong: a REST 4xx, or a GraphQL answer's errors (answered 200 as GraphQL does); never on a 5xx. */
  issues?: string[];
}

/** Most issue paths one line lists. */
export const MAX_LOGGED_ISSUES = 20;

/** A key name safe to log: identifier-shaped, so never a number, a phone number or free text. */
const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A GraphQL Name (operation names are client-chosen; anything else is not logged). */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** Adds fields to the request's log line (later notes win). */
export function noteLog(locals: Express.Locals, fields: RequestLogFields): void {
  locals.log = { ...locals.log, ...fields };
}

/** Notes an error answer's code and issue paths. */
export function noteError(locals: Express.Locals, code: string, issues: readonly Pick<Issue, 'path'>[] = []): void {
  noteLog(locals, { code, ...(issues.length > 0 ? { issues: issuePaths(issues) } : {}) });
}

/** `identity_hints.ani`, `variables.*`, `input.hints.externalIds.0.key`: the paths, deduplicated, at most 20. */
export function issuePaths(issues: readonly Pick<Issue, 'path'>[]): string[] {
  const paths = issues.map((issue) =>
    issue.path.map((part) => (typeof part === 'number' || SAFE_KEY.test(part) ? String(part) : '*')).join('.'),
  );
  return [...new Set(paths)].slice(0, MAX_LOGGED_ISSUES);
}

/**
 * A call id as a client sent it (text or number), trimmed, with any phone number in it masked (platforms
 * build call ids from the caller's number); undefined unless it is a valid one.
 */
export function loggableCallId(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  return text.length >= 1 && text.length <= MAX_CALL_ID_LENGTH ? maskPhoneNumbersIn(text) : undefined;
}

/** An operation name, if it is a GraphQL Name. */
export function loggableOperationName(value: unknown): string | undefined {
  return typeof value === 'string' && GRAPHQL_NAME.test(value) ? value : undefined;
}

/** The fields of a finished request's log line; issue paths only when the answer is not a 5xx. */
export function logFieldsFor(status: number, fields: RequestLogFields | undefined): RequestLogFields {
  if (!fields) return {};
  const { issues, ...rest } = fields;
  return status < 500 && issues?.length ? { ...rest, issues } : rest;
}
