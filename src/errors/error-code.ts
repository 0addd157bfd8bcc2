/** The closed set of error codes. Every error a client can see carries one of these. */
export enum ErrorCode {
  /** Input failed validation; `issues` lists every problem. */
  BadUserInput = 'BAD_USER_INPUT',
  /** The body is not valid JSON. */
  MalformedBody = 'MALFORMED_BODY',
  /** Missing, malformed, unknown or revoked API key. */
  Unauthenticated = 'UNAUTHENTICATED',
  /** The key is valid but its role may not do this (e.g. an ordinary key asking for admin-only data). */
  Forbidden = 'FORBIDDEN',
  /** The organisation's monthly quota is used up. */
  QuotaExceeded = 'QUOTA_EXCEEDED',
  /** Unknown route or reference. */
  NotFound = 'NOT_FOUND',
  /** The route exists but not for this HTTP method. */
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  /** The request contradicts what was already recorded (idempotency, references). */
  Conflict = 'CONFLICT',
  /** A GraphQL query deeper or costlier than the configured limits. */
  QueryTooComplex = 'QUERY_TOO_COMPLEX',
  /** A GraphQL query that used up its time on the database; ask for less. */
  QueryTimeout = 'QUERY_TIMEOUT',
  /** The body is larger than the configured limit. */
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  /** The body's Content-Encoding or charset is one the service does not read. */
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  /** The request line or headers are not valid HTTP. */
  MalformedRequest = 'MALFORMED_REQUEST',
  /** The request did not arrive in full (headers, then body) within the configured time. */
  RequestTimeout = 'REQUEST_TIMEOUT',
  /** The request headers exceed the server's limit. */
  HeadersTooLarge = 'HEADERS_TOO_LARGE',
  /** Too many requests; retry after the advertised delay. */
  RateLimited = 'RATE_LIMITED',
  /** The database cannot be reached or has no free connection right now; retry after the advertised delay. */
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  /** Anything unexpected; details are logged, never sent. */
  Internal = 'INTERNAL_SERVER_ERROR',
}

/** HTTP status for each code: exhaustive, so a new code cannot be forgotten. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.MalformedBody]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.QuotaExceeded]: 402,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.MethodNotAllowed]: 405,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.QueryTooComplex]: 400,
  [ErrorCode.QueryTimeout]: 503,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.MalformedRequest]: 400,
  [ErrorCode.RequestTimeout]: 408,
  [ErrorCode.HeadersTooLarge]: 431,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.Internal]: 500,
};
