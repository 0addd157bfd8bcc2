/** Opaque cursors: the sort-key values of a row as base64url JSON, read back strictly. */
import { AppError } from '../errors/app-error';
import { strictBase64urlText } from '../shared/strict-base64url';

/** The argument a cursor came in, named in the error when it is malformed. */
export type CursorArgument = 'after' | 'before';

/** Makes an opaque cursor from the sort-key values of a row. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** Reads back the `arity` sort-key values of a cursor; a malformed cursor is a BAD_USER_INPUT on its argument. */
export function decodeCursor(cursor: string, arity: number, argument: CursorArgument = 'after'): (string | number)[] {
  const values = parseCursor(cursor);
  if (!values || values.length !== arity) {
    throw AppError.validation([{ path: [argument], message: 'Invalid cursor' }]);
  }
  return values;
}

// Far above any cursor we make (a timestamp and a UUID take about 72 characters), far below a body limit.
const MAX_CURSOR_LENGTH = 256;

function parseCursor(cursor: string): (string | number)[] | undefined {
  const text = strictBase64urlText(cursor, MAX_CURSOR_LENGTH);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every(isKeyValue)) return undefined;
  return parsed;
}

function isKeyValue(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}
