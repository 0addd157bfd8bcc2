/** call_id rules (contract §2, §3): required, 1-256 characters after trimming. */
import { AppError } from '../errors/app-error';

export const MAX_CALL_ID_LENGTH = 256;

/** The trimmed call id, or a validation error naming `call_id`. */
export function callIdOrFail(value: unknown): string {
  if (value === undefined || value === null) {
    throw AppError.validation([{ path: ['call_id'], message: "Required field 'call_id' is missing" }]);
  }
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined) throw AppError.validation([{ path: ['call_id'], message: 'call_id must be a string' }]);
  if (text.length < 1 || text.length > MAX_CALL_ID_LENGTH) {
    throw AppError.validation([{ path: ['call_id'], message: `call_id must be 1-${MAX_CALL_ID_LENGTH} characters` }]);
  }
  return text;
}
