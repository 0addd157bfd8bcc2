/** Domain errors: one class, built only through the named constructors below. */
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

  /** No usable credentials; the message says which case it is, never the key. */
  static unauthenticated(message: string): AppError {
    return new AppError(ErrorCode.Unauthenticated, message, undefined, { 'WWW-Authenticate': 'Bearer' });
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

  /** The body exceeds the limit. */
  static payloadTooLarge(limitBytes: number): AppError {
    return new AppError(ErrorCode.PayloadTooLarge, `Request body exceeds the limit of ${limitBytes} bytes`);
  }
}
