/** The one GraphQL formatError: known errors keep their code, validation lists issues, the rest is masked. */
import { Writable } from 'node:stream';

import { GraphQLError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { ValidationError } from 'class-validator';

import { AppError } from '../../src/errors/app-error';
import { formatError } from '../../src/graphql/format-error';
import { createLogger } from '../../src/logging/logger';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, format: formatError(createLogger('error', sink)) };
}

function resolverError(original: Error): GraphQLError {
  return new GraphQLError(original.message, { path: ['viewer'], originalError: original });
}

describe('GraphQL formatError', () => {
  it('keeps an AppError’s code and issues', () => {
    const { format } = capture();
    const error = resolverError(AppError.validation([{ path: ['callId'], message: 'Required' }]));
    expect(format({ message: error.message, path: ['viewer'] }, error)).toEqual({
      message: 'Validation failed',
      path: ['viewer'],
      locations: undefined,
      extensions: { code: 'BAD_USER_INPUT', issues: [{ path: ['callId'], message: 'Required' }] },
    });
  });

  it('turns class-validator failures into BAD_USER_INPUT listing every field', () => {
    const { format } = capture();
    const child = Object.assign(new ValidationError(), { property: 'ani', constraints: { isString: 'ani must be a string' } });
    const top = Object.assign(new ValidationError(), {
      property: 'input',
      constraints: { whitelist: 'unknown field' },
      children: [child],
    });
    const error = resolverError(new ArgumentValidationError([top]));
    expect(format({ message: error.message }, error).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      issues: [
        { path: ['input'], message: 'unknown field' },
        { path: ['input', 'ani'], message: 'ani must be a string' },
      ],
    });
  });

  it('passes GraphQL’s own request errors without a stack trace', () => {
    const { format } = capture();
    const formatted = format(
      { message: 'Cannot query field "nope"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['at x'] } },
      new GraphQLError('Cannot query field "nope"'),
    );
    expect(formatted).toEqual({
      message: 'Cannot query field "nope"',
      locations: undefined,
      path: undefined,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('answers BAD_REQUEST, not INTERNAL, for a request error Apollo raised with a 4xx status and no code', () => {
    const { format, lines } = capture();
    const error = new GraphQLError('provided sha does not match query', { extensions: { http: { status: 400 } } });
    expect(format({ message: error.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error)).toEqual({
      message: 'provided sha does not match query',
      locations: undefined,
      path: undefined,
      extensions: { code: 'BAD_REQUEST' },
    });
    expect(lines).toEqual([]);
  });

  it('masks anything else and logs it', () => {
    const { format, lines } = capture();
    const error = resolverError(new Error('connect ECONNREFUSED 10.0.0.5:5432'));
    const formatted = format({ message: error.message, path: ['viewer'] }, error);
    expect(formatted).toEqual({
      message: 'Internal server error',
      path: ['viewer'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.parse(lines[0]).err.message).toContain('ECONNREFUSED');
  });
});
