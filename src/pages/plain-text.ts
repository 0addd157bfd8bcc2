/**
 * Caller-supplied text on a page, without the invisible Unicode controls that reorder text: bidirectional
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). Escaping keeps markup out, not these:
 * an unclosed right-to-left override in a saved name turns every word the page writes after it around
 * ("… :DO NOT CONFIRM" out of "… : confirm before sharing"). Right-to-left letters themselves are kept and
 * still display right to left; the marks (U+200E, U+200F, U+061C) are kept too, as they reorder nothing.
 */

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** The text without bidirectional embedding, override and isolate controls. */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** The same for every string in plain data (a page's view model: strings, numbers, arrays, plain objects). */
export function withoutBidiControlsDeep<T>(value: T): T {
  if (typeof value === 'string') return withoutBidiControls(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => withoutBidiControlsDeep(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutBidiControlsDeep(item)])) as T;
  }
  return value;
}
