/** call_id rules (contract §2, §3): required, 1-256 characters after trimming. */
import { AppError, type Issue } from '../errors/app-error';

export const MAX_CALL_ID_LENGTH = 256;

function callIdIssue(value: unknown): Issue | undefined {
  if (value === undefined || value === null) return { path: ['call_id'], message: "Required field 'call_id' is missing" };
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined) return { path: ['call_id'], message: 'call_id must be a string' };
  if (text.length < 1 || text.length > MAX_CALL_ID_LENGTH) {
    return { path: ['call_id'], message: `call_id must be 1-${MAX_CALL_ID_LENGTH} characters` };
  }
  return undefined;
}

/** The trimmed call id; else a validation error naming `call_id`, listed before the caller's other issues. */
export function callIdOrFail(value: unknown, otherIssues: Issue[] = []): string {
  const issue = callIdIssue(value);
  if (issue || otherIssues.length > 0) throw AppError.validation([...(issue ? [issue] : []), ...otherIssues]);
  return String(value).trim();
}
