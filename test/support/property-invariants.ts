/**
 * The invariants every answer to a hostile request must keep, as functions that name the first one
 * broken (or return undefined): never a 5xx; REST errors in the documented shape (contract §7); GraphQL
 * errors as an errors array whose codes are all known; and a refused request wrote nothing.
 */
import { ErrorCode } from '../../src/errors/error-code';
import type { RawAnswer } from './http-driver';

/** REST statuses a refusal may have for the bodies the property tests send (415: a content coding or charset we do not decode). */
export const REST_REFUSALS = [400, 409, 413, 415];

/** Every `extensions.code` a client may see: our enum (bar INTERNAL) and Apollo's request-error codes. */
export const KNOWN_GRAPHQL_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.Internal),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A GraphQL error's `extensions.code`, if it has one. */
const codeOf = (error: unknown): unknown => (isObject(error) && isObject(error.extensions) ? error.extensions.code : undefined);

/** What is wrong with a REST answer, or undefined; `wrote` says whether the data changed during the request. */
export function restViolation(answer: RawAnswer, wrote: boolean): string | undefined {
  if (answer.status >= 500) return `${answer.status}: ${answer.text.slice(0, 200)}`;
  const body = json(answer.text);
  if (answer.status === 200) return isObject(body) ? undefined : `200 without a JSON object: ${answer.text.slice(0, 200)}`;
  if (!REST_REFUSALS.includes(answer.status)) return `unexpected status ${answer.status}: ${answer.text.slice(0, 200)}`;
  if (!isObject(body) || typeof body.error !== 'string' || typeof body.message !== 'string') {
    return `${answer.status} not in the error shape: ${answer.text.slice(0, 200)}`;
  }
  if (body.details !== undefined) {
    const issues = isObject(body.details) ? body.details.issues : undefined;
    if (!Array.isArray(issues) || issues.length === 0) return `details without issues: ${answer.text.slice(0, 200)}`;
    const bad = issues.find((issue: unknown) => !isObject(issue) || !Array.isArray(issue.path) || typeof issue.message !== 'string');
    if (bad) return `malformed issue ${JSON.stringify(bad)}`;
  }
  if (wrote) return `${answer.status} (${body.message}) but data changed`;
  return undefined;
}

/** What is wrong with a /graphql answer, or undefined; a refused or failed operation must have written nothing. */
export function graphqlViolation(answer: RawAnswer, wrote: boolean): string | undefined {
  if (answer.status >= 500) return `${answer.status}: ${answer.text.slice(0, 300)}`;
  const body = json(answer.text);
  if (!isObject(body)) return `${answer.status} without a JSON object: ${answer.text.slice(0, 300)}`;
  if (body.errors === undefined) {
    if (answer.status !== 200 || !isObject(body.data)) return `${answer.status} with neither data nor errors: ${answer.text.slice(0, 300)}`;
    return undefined;
  }
  if (!Array.isArray(body.errors) || body.errors.length === 0) return `errors is not a non-empty array: ${answer.text.slice(0, 300)}`;
  const unknown = body.errors.find((e: unknown) => {
    const code = codeOf(e);
    return !isObject(e) || typeof e.message !== 'string' || typeof code !== 'string' || !KNOWN_GRAPHQL_CODES.has(code);
  });
  if (unknown) return `${answer.status} error with code ${JSON.stringify(codeOf(unknown))}: ${JSON.stringify(unknown).slice(0, 300)}`;
  if (wrote) return `${answer.status} with errors (${body.errors.map(codeOf).join(', ')}) but data changed`;
  return undefined;
}
