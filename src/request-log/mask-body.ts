/**
 * What the request log may keep of a request or response body, and of a validation issue: the same shape
 * with every secret and personal value masked, so an integrator sees which fields their connector sent
 * and what came back, never the caller's data.
 *
 * - Phone numbers anywhere (strings, numbers, object keys) are masked to their last two digits
 *   (logging/phone-in-text.ts); identity hints (`ani`, `dnis`, `external_ids`' values) have every digit but
 *   the last two masked, whatever they look like.
 * - Every variable VALUE is replaced by `•••` (keys kept): everything under a `variables` key, and the
 *   answers' fields that carry a value (`customer_name`, the `context` line).
 * - The screen-pop URL's token, anything shaped like an API key (`sk_test_…`), and fields named like a
 *   secret (`token`, `secret`, `password`, `authorization`, `api_key`) are masked.
 * - Strings holding JSON are masked inside. Nesting deeper than MAX_DEPTH is cut off.
 */
import { maskPhoneNumbersIn } from '../logging/phone-in-text';

/** What replaces a masked value. */
export const MASK = '•••';

/** Nesting kept; deeper structure is replaced by MASK. */
const MAX_DEPTH = 12;

/** Keys whose whole subtree holds variable values. */
const VALUE_KEYS = new Set(['variables', 'customer_name', 'context']);

/** Keys whose values identify the caller: every digit but the last two masked. */
const IDENTITY_KEYS = new Set(['ani', 'dnis', 'external_ids', 'externalids', 'caller_phone', 'phone', 'phone_number']);

/** Keys whose values are secrets. */
const SECRET_KEY = /token|secret|password|authorization|api_?key/i;

/** An API key (tenancy/api-key-format.ts) or something shaped like one. */
const API_KEY = /\bsk_(test|prod|live)_[A-Za-z0-9_-]+/gi;

/** The token of a screen-pop link (screen-pop/screen-pop-links.ts). */
const SCREEN_POP_TOKEN = /(\/screen-pop\/)[^\s/?#"']+/gi;

/** Text with phone numbers, API keys and screen-pop tokens masked. */
export function maskText(text: string): string {
  return maskPhoneNumbersIn(text.replace(API_KEY, (_all, env: string) => `sk_${env}_${MASK}`).replace(SCREEN_POP_TOKEN, `$1${MASK}`));
}

/** An identity hint: every digit but the last two masked (`+1**********34`), letters and separators kept. */
export function maskIdentity(value: string): string {
  const digits = value.replace(/\D/g, '').length;
  let seen = 0;
  return value.replace(/\d/g, (digit) => (++seen > digits - 2 ? digit : '*'));
}

function maskScalar(value: unknown, mode: Mode): unknown {
  if (value === null || typeof value === 'boolean') return mode === 'value' && value !== null ? MASK : value;
  if (mode === 'value') return MASK;
  if (typeof value === 'number') {
    const text = String(value);
    if (mode === 'identity') return maskIdentity(text);
    const masked = maskText(text);
    return masked === text ? value : masked;
  }
  if (typeof value !== 'string') return MASK;
  if (mode === 'identity') return maskIdentity(value);
  const trimmed = value.trim();
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      return JSON.stringify(maskBody(JSON.parse(trimmed)));
    } catch {
      // Not JSON after all: masked as text.
    }
  }
  return maskText(value);
}

/** How a subtree's leaves are masked. */
type Mode = 'text' | 'identity' | 'value';

function modeOf(key: string, inherited: Mode): Mode {
  if (inherited === 'value') return 'value';
  const lower = key.toLowerCase();
  if (VALUE_KEYS.has(lower) || SECRET_KEY.test(key)) return 'value';
  if (IDENTITY_KEYS.has(lower)) return 'identity';
  return inherited;
}

function walk(value: unknown, mode: Mode, depth: number): unknown {
  if (value === null || typeof value !== 'object') return maskScalar(value, mode);
  if (depth >= MAX_DEPTH) return MASK;
  if (Array.isArray(value)) return value.map((item) => walk(item, mode, depth + 1));
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  // Keys are kept (a variable's name, an external id's key), with any phone number in them masked.
  return Object.fromEntries(entries.map(([key, item]) => [maskText(String(key)), walk(item, modeOf(String(key), mode), depth + 1)]));
}

/** A body (parsed JSON, form fields, or text) with every secret and personal value masked. */
export function maskBody(body: unknown): unknown {
  return walk(body, 'text', 0);
}

/** Most characters of a body's JSON the request log keeps. */
export const MAX_BODY_CHARS = 64 * 1024;

/** The masked body as the JSON text the request log stores; a body too long is replaced by a note saying so. */
export function maskedBodyText(body: unknown): string | null {
  if (body === undefined) return null;
  const text = JSON.stringify(maskBody(body)) ?? null;
  if (text === null || text.length <= MAX_BODY_CHARS) return text;
  return JSON.stringify({ truncated: `a body of ${text.length} characters; the request log keeps at most ${MAX_BODY_CHARS}` });
}

/** One validation issue as the request log keeps it. */
export interface LoggedIssue {
  path: string;
  message: string;
}

/** Most issues one entry keeps. */
export const MAX_LOGGED_ISSUES = 50;

/** A path part safe to keep: identifier-shaped keys and indexes; anything else (a number as a key, free text) is `*`. */
const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The issues of a 4xx answer (`details.issues`): paths with client-chosen keys that are not identifier-
 * shaped replaced by `*`, messages with quoted text, phone numbers and anything secret-shaped masked
 * (our messages quote no input, but a parser's may).
 */
export function loggedIssues(issues: unknown): LoggedIssue[] {
  if (!Array.isArray(issues)) return [];
  return issues.slice(0, MAX_LOGGED_ISSUES).flatMap((issue: unknown) => {
    if (!issue || typeof issue !== 'object') return [];
    const { path, message } = issue as { path?: unknown; message?: unknown };
    const parts = Array.isArray(path) ? path : [];
    return [
      {
        path: parts.map((part) => (typeof part === 'number' || (typeof part === 'string' && SAFE_KEY.test(part)) ? String(part) : '*')).join('.'),
        message: typeof message === 'string' ? maskMessage(message) : '',
      },
    ];
  });
}

/**
 * A message with quoted spans masked unless they name a field (identifier-shaped: `'call_id'`), then
 * phone numbers and secrets; at most 500 characters.
 */
export function maskMessage(message: string): string {
  const quotedMasked = message.replace(/"[^"]*"|'[^']*'|“[^”]*”/g, (quoted) =>
    SAFE_KEY.test(quoted.slice(1, -1)) ? quoted : `${quoted[0]}${MASK}${quoted.at(-1)}`,
  );
  return maskText(quotedMasked).slice(0, 500);
}
