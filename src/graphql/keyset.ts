/** Keyset pagination over (timestamp desc, id desc): the cursor of a row and the condition for "after it". */
import { AppError } from '../errors/app-error';
import { decodeCursor } from './connection';

/** Cursor values for a row ordered by `at` then `id`, newest first. */
export function keysetCursor(at: Date, id: string): (string | number)[] {
  return [at.getTime(), id];
}

/** The position a keyset cursor names; a cursor not made by `keysetCursor` is a BAD_USER_INPUT on `after`. */
export function keysetPosition(after: string): { at: Date; id: string } {
  const [ms, id] = decodeCursor(after, 2);
  const at = new Date(typeof ms === 'number' ? ms : Number.NaN);
  if (Number.isNaN(at.getTime()) || typeof id !== 'string') {
    throw AppError.validation([{ path: ['after'], message: 'Invalid cursor' }]);
  }
  return { at, id };
}

/** The filter selecting rows strictly after the cursor in (field desc, id desc) order; `{}` without one. */
export function afterCursor(field: string, after: string | null | undefined): Record<string, unknown> {
  if (!after) return {};
  const { at, id } = keysetPosition(after);
  return { $or: [{ [field]: { $lt: at } }, { [field]: at, id: { $lt: id } }] };
}
