/** Keyset pagination over (timestamp desc, id desc): the cursor of a row and the condition for "after it". */
import { AppError } from '../errors/app-error';
import { isCanonicalUuid } from '../shared/row-id';
import { isStorableMs } from '../shared/storable-date';
import { decodeCursor } from './connection';

/** Cursor values for a row ordered by `at` then `id`, newest first. */
export function keysetCursor(at: Date, id: string): (string | number)[] {
  return [at.getTime(), id];
}

/**
 * The position a keyset cursor names. Only what `keysetCursor` makes is accepted: whole milliseconds of a
 * storable instant and a row id (a lower-case UUID: PostgreSQL would refuse anything else in a uuid
 * comparison). Anything else (`[0,"id"]`, a timestamp of 8.64e15) is a BAD_USER_INPUT on
 * `after`, never a database error.
 */
export function keysetPosition(after: string): { at: Date; id: string } {
  const [ms, id] = decodeCursor(after, 2);
  if (typeof ms !== 'number' || !isStorableMs(ms) || typeof id !== 'string' || !isCanonicalUuid(id)) {
    throw AppError.validation([{ path: ['after'], message: 'Invalid cursor' }]);
  }
  return { at: new Date(ms), id };
}

/** The filter selecting rows strictly after the cursor in (field desc, id desc) order; `{}` without one. */
export function afterCursor(field: string, after: string | null | undefined): Record<string, unknown> {
  if (!after) return {};
  const { at, id } = keysetPosition(after);
  return { $or: [{ [field]: { $lt: at } }, { [field]: at, id: { $lt: id } }] };
}
