/**
 * The GraphQL face of errors: one `formatError`. Our AppErrors and input validation keep their code
 * (`extensions.code`) and issues; GraphQL's own request errors pass; anything else is logged and masked.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';

import { isDatabaseUnavailable, serviceUnavailable } from '../db/database-unavailable';
import { AppError, type Issue } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import type { Logger } from '../logging/logger';

/** Codes Apollo Server itself produces for bad requests; safe to show as they are. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Flattens class-validator's nested errors into issues with full paths. */
export function validationIssues(errors: ValidationError[], path: (string | number)[] = []): Issue[] {
  return errors.flatMap((e) => {
    // class-validator names list items by their index as text; issues give indexes as numbers.
    const here = [...path, /^\d+$/.test(e.property) ? Number(e.property) : e.property];
    const own = Object.values(e.constraints ?? {}).map((message) => ({ path: here, message }));
    return [...own, ...validationIssues(e.children ?? [], here)];
  });
}

/** graphql-js's "Did you mean …?" ending, which names fields, arguments, types and enum values of the schema. */
const SUGGESTION = / ?Did you mean .+\?$/s;

/** What formatError may reveal. */
export interface FormatOptions {
  /** Drop "Did you mean …" suggestions from GraphQL's own messages (when introspection is off). */
  hideSuggestions: boolean;
}

/**
 * An error Apollo raised about the request itself without giving it a code (with persisted queries on:
 * "provided sha does not match query", "Unsupported persisted query version"): it sets a 4xx status and
 * wraps nothing of ours, so its message is Apollo's own and the client's mistake is BAD_REQUEST.
 */
function isUncodedRequestError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.originalError || error.extensions.code !== undefined) return false;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * graphql-js's own refusal of a request's variables once it has found 50 bad values ("Too many errors
 * processing variables, error limit reached. Execution aborted."): raised without a code, path or original
 * error, and not among the variable errors Apollo codes itself, so it was masked as INTERNAL_SERVER_ERROR
 * after 50 BAD_USER_INPUT errors. It is about the values the client sent.
 */
function isVariableErrorLimit(error: unknown): boolean {
  return (
    error instanceof GraphQLError &&
    !error.originalError &&
    !error.path &&
    error.extensions.code === undefined &&
    error.message.startsWith('Too many errors processing variables')
  );
}

/** Builds Apollo's formatError with the logger used for masked errors. */
export function formatError(logger: Logger, options: FormatOptions = { hideSuggestions: false }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    if (original instanceof AppError) {
      return {
        ...base,
        message: original.message,
        extensions: { code: original.code, ...(original.issues ? { issues: original.issues } : {}) },
      };
    }
    if (original instanceof ArgumentValidationError) {
      const issues = validationIssues(original.extensions.validationErrors as ValidationError[]);
      return { ...base, message: 'Validation failed', extensions: { code: ErrorCode.BadUserInput, issues } };
    }
    // Apollo re-codes validation-rule errors as GRAPHQL_VALIDATION_FAILED; keep our rule's own code.
    const ruleCode = (error as { originalError?: GraphQLError } | null)?.originalError?.extensions?.code;
    if (ruleCode === ErrorCode.QueryTooComplex) return { ...base, extensions: { code: ErrorCode.QueryTooComplex } };
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      const message = options.hideSuggestions ? base.message.replace(SUGGESTION, '') : base.message;
      return { ...base, message, extensions };
    }
    if (isUncodedRequestError(error)) return { ...base, extensions: { code: 'BAD_REQUEST' } };
    if (isVariableErrorLimit(error)) return { ...base, extensions: { code: ErrorCode.BadUserInput } };
    // Logged as a warning with the request id, and answered 503 when alone, by database-unavailable.plugin.ts.
    if (isDatabaseUnavailable(original)) {
      return { ...base, message: serviceUnavailable().message, extensions: { code: ErrorCode.ServiceUnavailable } };
    }
    logger.error({ err: original }, 'unhandled GraphQL error');
    return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.Internal } };
  };
}
