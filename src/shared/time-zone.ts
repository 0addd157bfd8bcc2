/** IANA time zones, checked with the runtime's own tz database (Intl). */

let supported: Map<string, string> | undefined;

/** The runtime's zone names by lower-case spelling. */
function supportedZones(): Map<string, string> {
  supported ??= new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));
  return supported;
}

/**
 * The zone's name as stored, or null when the runtime does not know it. A zone the runtime lists comes back
 * in its spelling (`europe/london` → `Europe/London`); a valid name it does not list, such as an alias, is
 * kept as typed: ICU would rename `Asia/Kolkata` to the older `Asia/Calcutta`, which its users would not
 * recognise.
 */
export function canonicalTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    return null;
  }
  return supportedZones().get(name.toLowerCase()) ?? name;
}
