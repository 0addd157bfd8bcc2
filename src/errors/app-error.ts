/** Domain errors: one class, built only through the named constructors below. */
import { API_CHALLENGES } from '../tenancy/credentials';
import { ErrorCode } from './error-code';

/** One problem with the input: where (keys and indexes) and what. */
export interface Issue {
  path: (string | number)[];
  message: string;
}

/** An error that is safe to show to the client, with a code from the closed enum. */
export class AppError extends Error {
  private constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** Input failed validation; lists every issue. */
  static validation(issues: Issue[]): AppError {
    return new AppError(ErrorCode.BadUserInput, 'Validation failed', issues);
  }

  /** The body could not be parsed. */
  static malformedBody(detail: string): AppError {
    return new AppError(ErrorCode.MalformedBody, 'Malformed JSON body', [{ path: [], message: detail }]);
  }

  /**
   * No usable credentials; the message says which case it is, never the key. The answer offers the
   * challenges given (by default Bearer and Basic: see tenancy/credentials.ts).
   */
  static unauthenticated(message: string, challenges: string = API_CHALLENGES): AppError {
    return new AppError(ErrorCode.Unauthenticated, message, undefined, { 'WWW-Authenticate': challenges });
  }

  /** Authenticated, but the key's role does not allow this. */
  static forbidden(message: string): AppError {
    return new AppError(ErrorCode.Forbidden, message);
  }

  /** Unknown route or reference. */
  static notFound(message: string): AppError {
    return new AppError(ErrorCode.NotFound, message);
  }

  /** The route exists for other methods only. */
  static methodNotAllowed(allowed: string[]): AppError {
    return new AppError(ErrorCode.MethodNotAllowed, `Use ${allowed.join(', ')} on this route`, undefined, {
      Allow: allowed.join(', '),
    });
  }

  /** The request contradicts recorded state. */
  static conflict(message: string): AppError {
    return new AppError(ErrorCode.Conflict, message);
  }

  /** Rebuilds an error that crossed the GraphQL boundary (code and issues from its extensions). */
  static fromCode(code: ErrorCode, message: string, issues?: Issue[]): AppError {
    return new AppError(code, message, issues);
  }

  /** A GraphQL query ran past its time on the database and was cut off. */
  static queryTimeout(limitMs: number): AppError {
    return new AppError(
      ErrorCode.QueryTimeout,
      `The query ran past its ${limitMs} ms limit and was stopped; ask for less (smaller pages, fewer fields)`,
    );
  }

  /** The body exceeds the limit. */
  static payloadTooLarge(limitBytes: number): AppError {
    return new AppError(ErrorCode.PayloadTooLarge, `Request body exceeds the limit of ${limitBytes} bytes`);
  }

  /** The body is labelled with a Content-Encoding it does not decode from. */
  static undecodableBody(encoding: string): AppError {
    return new AppError(ErrorCode.MalformedBody, 'Malformed request body', [
      { path: [], message: `The body is labelled Content-Encoding: ${encoding} but is not valid ${encoding} data` },
    ]);
  }

  /** The body is in a Content-Encoding or charset the service does not read; the message names what it does. */
  static unsupportedMediaType(message: string): AppError {
    return new AppError(ErrorCode.UnsupportedMediaType, message);
  }

  /** The request is not valid HTTP (found by Node's parser, before any handler). */
  static malformedRequest(): AppError {
    return new AppError(ErrorCode.MalformedRequest, 'The request is not valid HTTP/1.1');
  }

  /** The request did not arrive in full in time; the connection is closed. */
  static requestTimeout(): AppError {
    return new AppError(ErrorCode.RequestTimeout, 'The request did not arrive in full within the time allowed');
  }

  /** The request headers are larger than the server accepts. */
  static headersTooLarge(): AppError {
    return new AppError(ErrorCode.HeadersTooLarge, 'The request headers are too large');
  }

  /** Too many requests; the client may retry after the given number of seconds. */
  static rateLimited(message: string, retryAfterSeconds: number): AppError {
    return new AppError(ErrorCode.RateLimited, message, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }

  /** The database is unreachable or has no free connection in time; the client may retry. */
  static serviceUnavailable(retryAfterSeconds: number): AppError {
    return new AppError(
      ErrorCode.ServiceUnavailable,
      `The database is unavailable right now; retry in ${retryAfterSeconds} s`,
      undefined,
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}
