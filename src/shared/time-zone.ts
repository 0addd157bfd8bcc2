/** IANA time zones, checked with the runtime's own tz database (Intl). */

/** The zone's canonical spelling (e.g. `europe/london` → `Europe/London`), or null when the runtime does not know it. */
export function canonicalTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
