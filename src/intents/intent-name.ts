/** Longest stored intent name; longer names are rejected by the caller (contract §3). */
export const MAX_INTENT_NAME_LENGTH = 128;

/** The stored form of an intent label: lower-case, runs of anything but `[a-z0-9]` as one `_`, no edge `_`. */
export function normaliseIntentName(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
