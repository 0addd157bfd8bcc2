/** Keyset pagination over (timestamp desc, id desc): the cursor of a row and the condition for "after it". */
import { decodeCursor } from './connection';

/** Cursor values for a row ordered by `at` then `id`, newest first. */
export function keysetCursor(at: Date, id: string): (string | number)[] {
  return [at.getTime(), id];
}

/** The filter selecting rows strictly after the cursor in (field desc, id desc) order; `{}` without one. */
export function afterCursor(field: string, after: string | null | undefined): Record<string, unknown> {
  if (!after) return {};
  const [ms, id] = decodeCursor(after, 2);
  const at = new Date(Number(ms));
  if (Number.isNaN(at.getTime()) || typeof id !== 'string') return { id: null, [field]: null };
  return { $or: [{ [field]: { $lt: at } }, { [field]: at, id: { $lt: id } }] };
}
