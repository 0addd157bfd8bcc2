/**
 * Caller numbers (ANI) read into E.164. A withheld or unusable number is still a hint that was given, but it
 * must never match anyone or be stored as an identity (contract §2, §5).
 */
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

import { cleanHint } from './hints';

/** What an ANI hint turned out to be. */
export type AniReading =
  | { kind: 'absent' }
  | { kind: 'withheld'; raw: string }
  | { kind: 'number'; raw: string; e164: string };

const WITHHELD_WORDS = new Set(['anonymous', 'restricted', 'private', 'unavailable', 'unknown', 'withheld', 'blocked']);
const MIN_DIGITS = 7;

/** The user part of a SIP URI (`sip:+14155551234@host`), or the text itself. */
function stripSipUri(text: string): string {
  const match = /^<?sips?:([^@;>]+)[@;>]/i.exec(text);
  return match ? match[1] : text;
}

/** Parses and keeps the result only when it is at least a possible number. */
function parsePossible(text: string, defaultRegion: string): PhoneNumber | undefined {
  const parsed = parsePhoneNumberFromString(text, defaultRegion.toUpperCase() as CountryCode);
  return parsed?.isPossible() ? parsed : undefined;
}

/**
 * Recent readings: parsing costs tens of microseconds and one request reads its ANI twice (the REST
 * shim's hint check, then the domain), while the same callers ring again and again. Readings are pure
 * values, so sharing them is safe; the map is simply emptied when full.
 */
const recent = new Map<string, AniReading>();
const RECENT_LIMIT = 10_000;

/** Classifies an ANI hint as absent, withheld or a number in E.164, using `defaultRegion` for national formats. */
export function readAni(value: unknown, defaultRegion: string): AniReading {
  if (typeof value !== 'string') return classify(value, defaultRegion);
  const key = `${defaultRegion}|${value}`;
  let reading = recent.get(key);
  if (reading === undefined) {
    if (recent.size >= RECENT_LIMIT) recent.clear();
    reading = Object.freeze(classify(value, defaultRegion));
    recent.set(key, reading);
  }
  return reading;
}

function classify(value: unknown, defaultRegion: string): AniReading {
  const word = typeof value === 'string' ? value.trim().replace(/^[^a-z0-9]+|[^a-z0-9]+$/gi, '').toLowerCase() : '';
  // Checked before the placeholder rules so `<anonymous>` reads as withheld, not as an unfilled `<…>`.
  if (WITHHELD_WORDS.has(word)) return { kind: 'withheld', raw: String(value).trim() };
  const raw = cleanHint(value);
  if (raw === undefined) return { kind: 'absent' };

  const text = stripSipUri(raw);
  const digits = text.replace(/\D/g, '');
  if (digits.length < MIN_DIGITS || /^0+$/.test(digits)) return { kind: 'withheld', raw };

  const national = parsePossible(text, defaultRegion);
  // A form-decoded `+` arrives as a space, and many platforms send E.164 without the `+`; so when the
  // default-region reading is not a valid number, an international reading of the same digits is tried.
  const retry = !text.includes('+') && !national?.isValid();
  const international = retry ? parsePossible(`+${digits}`, defaultRegion) : undefined;
  const candidates = [national, international].filter((p): p is PhoneNumber => p !== undefined);
  const best = candidates.find((p) => p.isValid()) ?? candidates[0];
  if (!best || /^0+$/.test(best.nationalNumber)) return { kind: 'withheld', raw };
  return { kind: 'number', raw, e164: best.number };
}

/** An E.164 number safe for logs: every digit but the last two replaced by `*`, the `+` kept. */
export function maskE164(e164: string): string {
  return e164.replace(/\d(?=\d{2})/g, '*');
}
