/**
 * Phone numbers inside identifiers that get logged (a call id a platform built from the caller's number,
 * such as Voiceflow's `{ani}-{timestamp}`): each is masked to its last two digits, everything else stays.
 *
 * A candidate is a run of digits with phone separators (`+`, space, `( ) . -`) not glued to letters, so
 * hex ids (a Twilio CallSid) are no candidates. A run that is a possible number (libphonenumber, region US,
 * or international with `+`), or a national number with a trunk `0` then a non-zero digit and 7–15 digits
 * in all, is masked; a run that is none but joins several pieces with `-` is looked at piece by piece.
 * Numeric ids longer than a US number (Five9's 12-digit call ids) and UUIDs stay whole; a bare 10-digit id
 * is masked, erring on privacy.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const CANDIDATE = /(?<![A-Za-z0-9])\+?\d[\d\s().-]*\d(?![A-Za-z0-9])/g;

function isPhoneNumber(text: string): boolean {
  const digits = text.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  if (/^0[1-9]/.test(digits) && !text.trimStart().startsWith('+')) return true;
  return parsePhoneNumberFromString(text, 'US')?.isPossible() ?? false;
}

function masked(text: string): string {
  const digits = text.replace(/\D/g, '');
  return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

/** The text with every phone number in it masked to its last two digits. */
export function maskPhoneNumbersIn(text: string): string {
  return text.replace(CANDIDATE, (run) => {
    if (isPhoneNumber(run)) return masked(run);
    return run
      .split(/(-)/)
      .map((piece) => (piece !== '-' && isPhoneNumber(piece) ? masked(piece) : piece))
      .join('');
  });
}
