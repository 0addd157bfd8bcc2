/**
 * What the whole-run log grep looks for, harvested from the test sources themselves so a new test's data is
 * covered without a list to keep up to date. The rules:
 *
 * - Phone numbers: every phone-shaped run of digits (separators `space ( ) . -` and a leading `+` allowed)
 *   inside a string literal of a test source that libphonenumber (region US) calls a valid number (so the
 *   withheld `0000000000`, a timestamp or a counter is none; the 555 numbers tests use are valid). Each
 *   is searched as its national significant digits, which every digit spelling contains (E.164 without the
 *   `+`, `1-415-…`, `(415) 555-…` once separators are dropped), at least 7 digits.
 * - Variable values: string literals written as a variable's value: `value: '…'` (the object form and the
 *   service's writes), the values of a `variables: { … }` or `"variables": { … }` map, and form-encoded
 *   `variables[name]=…`. Kept when, trimmed, they are at least 5 characters long, hold a letter, are not a
 *   lone word of fewer than 8 letters (`first`, `silver`: words of call ids and messages too), are no
 *   placeholder (`@Call.ANI@`, `{{…}}`, `${…}`), and are not words the service itself writes in its logs
 *   (IGNORED_VALUES). Shorter values (`gold`, `Ann`, `x`) would match ordinary words of any log line.
 * - API keys: any `sk_test_` / `sk_prod_` followed by 20 or more letters or digits, whoever made it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Everything the grep looks for. */
export interface Needles {
  /** National significant digits → a literal it came from (file: text), for the report. */
  phones: Map<string, string>;
  /** Variable values → the file it came from. */
  values: Map<string, string>;
}

/** Any API key in clear. */
export const API_KEY = /sk_(?:test|prod)_[A-Za-z0-9]{20,}/;

/** Values the service's own log lines carry as words or field values: never caller data by themselves. */
const IGNORED_VALUES = new Set(['source', 'target', 'false', 'resolved', 'abandoned', 'unknown', 'mobile', 'landline']);

const PHONE_SHAPED = /\+?\d[\d\s().-]{5,}\d/g;
const STRING_LITERAL = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`([^`$\\]*)`/g;

/** Every .ts file under a directory, except the grep's own folder. */
function sources(dir: string, skip: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === skip ? [] : sources(path, skip);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function literals(text: string): string[] {
  return [...text.matchAll(STRING_LITERAL)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** The national significant digits of a phone-shaped text, when it is a possible number. */
export function nationalDigits(text: string): string | undefined {
  const digits = text.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return undefined;
  const phone = parsePhoneNumberFromString(text.trim(), 'US');
  return phone?.isValid() && phone.nationalNumber.length >= 7 ? phone.nationalNumber : undefined;
}

function variableValues(text: string): string[] {
  const found = [...text.matchAll(/\bvalue"?\s*:\s*(?:'([^'\n]*)'|"([^"\n]*)")/g)].map((m) => m[1] ?? m[2] ?? '');
  for (const block of text.matchAll(/"?variables"?\s*:\s*\{([^{}]*)\}/g)) {
    // Every literal in the map that is not a key (a key is followed by a colon).
    for (const m of block[1].matchAll(/(?:'([^'\n]*)'|"([^"\n]*)")(?!\s*:)/g)) found.push(m[1] ?? m[2] ?? '');
  }
  for (const m of text.matchAll(/variables\[[\w.-]+\]=([^&'"\n]+)/g)) found.push(safeDecode(m[1]));
  return found;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Whether a harvested value is specific enough to search for (the rule in the header). */
export function searchableValue(value: string): boolean {
  const v = value.trim();
  // A lone word is only specific enough from 8 letters: `first`, `second`, `silver` are also words of call ids.
  const loneShortWord = /^\p{L}+$/u.test(v) && v.length < 8;
  return v.length >= 5 && /\p{L}/u.test(v) && !loneShortWord && !/@\w[\w.]*@|\{\{|\$\{/.test(v) && !IGNORED_VALUES.has(v.toLowerCase());
}

/** Harvests the needles from every test source under `testDir` but `skipDir`. */
export function harvestNeedles(testDir: string, skipDir: string): Needles {
  const needles: Needles = { phones: new Map(), values: new Map() };
  for (const file of sources(testDir, skipDir)) {
    const text = readFileSync(file, 'utf8');
    const where = relative(testDir, file);
    for (const literal of literals(text)) {
      for (const m of literal.matchAll(PHONE_SHAPED)) {
        const national = nationalDigits(m[0]);
        if (national && !needles.phones.has(national)) needles.phones.set(national, `${where}: ${m[0]}`);
      }
    }
    for (const value of variableValues(text)) if (searchableValue(value) && !needles.values.has(value.trim())) needles.values.set(value.trim(), where);
  }
  return needles;
}
