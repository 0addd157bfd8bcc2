/**
 * What each error status means on the REST routes, for the OpenAPI document: every ErrorCode is described
 * (the Record is exhaustive, so a new code cannot go undocumented), and each route lists the statuses it
 * can answer.
 */
import { ErrorCode, HTTP_STATUS } from '../errors/error-code';

/** Every code in words, for the document's error table. */
export const ERROR_MEANINGS: Record<ErrorCode, string> = {
  [ErrorCode.BadUserInput]: 'a missing or invalid field; `details.issues` lists every problem',
  [ErrorCode.MalformedBody]: 'the body is not valid JSON, nor a form (or not valid in its Content-Encoding)',
  [ErrorCode.Unauthenticated]: 'a missing, malformed, unknown or revoked key; the answer carries `WWW-Authenticate`',
  [ErrorCode.Forbidden]: "the key's role does not allow this (admin-only GraphQL fields; never on /v1/calls)",
  [ErrorCode.QuotaExceeded]: "the organisation's monthly quota of successful starts and ends is used up (UTC month); nothing of the request was kept, and replays of earlier calls still answer",
  [ErrorCode.NotFound]: 'no such route, or (on `/v1/customers/{ref}`) no customer with that ref in the key’s tenant',
  [ErrorCode.MethodNotAllowed]: 'the route takes POST only; the answer carries `Allow: POST`',
  [ErrorCode.Conflict]: 'a retried `call_id` with other hints, a different body for an ended call, or a `customer_ref` that contradicts the call',
  [ErrorCode.QueryTooComplex]: 'a GraphQL operation over the depth, alias or cost limits (GraphQL only)',
  [ErrorCode.QueryTimeout]: 'a GraphQL query used up its time on the database (GraphQL only)',
  [ErrorCode.PayloadTooLarge]: 'the body is over the limit (`BODY_LIMIT_BYTES`, 64 KiB by default)',
  [ErrorCode.UnsupportedMediaType]: 'a Content-Encoding or charset the service does not read (send UTF-8; gzip, deflate or br)',
  [ErrorCode.MalformedRequest]: 'the request is not valid HTTP/1.1 (or its path holds a malformed %-escape)',
  [ErrorCode.RequestTimeout]: 'the request did not arrive in full in time; the connection is closed',
  [ErrorCode.HeadersTooLarge]: 'the request headers are too large',
  [ErrorCode.RateLimited]:
    "the organisation's rate limit is used up (requests per rolling minute on /v1 and /graphql, 10% grace; see `RateLimit`), or too many failed authentications from this address; retry after `Retry-After` seconds",
  [ErrorCode.ServiceUnavailable]: 'the database is unreachable or has no free connection (`DATABASE_CONNECT_TIMEOUT_MS`); retry after `Retry-After` seconds (a retried start or end replays, never doubles)',
  [ErrorCode.Internal]: 'an unexpected error; the message names only the request id to quote',
};

/** The error codes POST /v1/calls/start and /v1/calls/end can answer today. */
const CALL_ROUTE_CODES: readonly ErrorCode[] = [
  ErrorCode.BadUserInput,
  ErrorCode.MalformedBody,
  ErrorCode.MalformedRequest,
  ErrorCode.Unauthenticated,
  ErrorCode.MethodNotAllowed,
  ErrorCode.RequestTimeout,
  ErrorCode.Conflict,
  ErrorCode.QuotaExceeded,
  ErrorCode.PayloadTooLarge,
  ErrorCode.UnsupportedMediaType,
  ErrorCode.RateLimited,
  ErrorCode.HeadersTooLarge,
  ErrorCode.Internal,
  ErrorCode.ServiceUnavailable,
];

/** Their statuses, ascending. */
export const CALL_ROUTE_ERROR_STATUSES = [...new Set(CALL_ROUTE_CODES.map((code) => HTTP_STATUS[code]))].sort((a, b) => a - b);

/** A typical message for each status the call routes answer (the document's examples). */
export const ERROR_EXAMPLES: Record<number, string> = {
  400: 'Validation failed',
  401: 'Missing API key: send Authorization: Bearer <key>',
  402: 'The monthly quota of 100000 successful starts and ends is used up for 2026-02 (UTC); it renews on 2026-03-01',
  405: 'Use POST on this route',
  408: 'The request did not arrive in full within the time allowed',
  409: "call_id 'call_001' was already started with different identity hints",
  413: 'Request body exceeds the limit of 65536 bytes',
  415: 'Content-Encoding "zstd" is not supported: send the body uncompressed, or as gzip, deflate or br',
  429: 'Too many failed authentications from this address; retry in 60 s',
  431: 'The request headers are too large',
  500: 'Internal error; quote request id 0b6d3f0e-8f0c-4c47-9a3e-2f1b5f0c9d11 to support',
  503: 'The database is unavailable right now; retry in 1 s',
};

/** The call routes' codes behind a status, in words: the description of that response. */
export function describeStatus(status: number): string {
  const codes = CALL_ROUTE_CODES.filter((code) => HTTP_STATUS[code] === status);
  return codes.map((code) => `\`${code}\`: ${ERROR_MEANINGS[code]}`).join('; ');
}

/** A Markdown table of every code, its status and meaning (the document's description of errors). */
export function errorTable(): string {
  const codes = (Object.keys(ERROR_MEANINGS) as ErrorCode[]).sort((a, b) => HTTP_STATUS[a] - HTTP_STATUS[b]);
  const rows = codes.map((code) => `| ${HTTP_STATUS[code]} | \`${code}\` | ${ERROR_MEANINGS[code]} |`);
  return ['| status | code | when |', '|---|---|---|', ...rows].join('\n');
}
