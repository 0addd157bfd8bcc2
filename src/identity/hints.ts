/**
 * Identity hints as IVR platforms send them: a missing field often arrives as an empty string, the text
 * "null", or the platform's own variable syntax left unsubstituted. All of those count as absent (§2).
 */

/** Per-call ids that must never be used as identities (contract §5 default list). */
export const DEFAULT_NON_IDENTIFYING_KEYS = [
  'five9_call_id',
  'twilio_call_sid',
  'call_sid',
  'cxone_contact_id',
  'contact_id',
  'session_id',
  'dialogflow_session',
  'campaign_id',
  'skill_id',
] as const;

const ABSENT_WORDS = new Set(['null', 'undefined', 'none', 'nil', 'n/a']);

// A token is an identifier path such as `Call.ANI` or `caller_phone`; the delimiters that also occur in
// real values (`@`, `%`, `<…>`) only count as placeholders around such a token, so `john@example.com`,
// `50%` and `<sip:+1415…@host>` stay values.
const TOKEN = String.raw`[A-Za-z_][\w.-]*`;
const TEMPLATE_PLACEHOLDERS: readonly RegExp[] = [
  /^\$\(.*\)$/s, // $(call.ani)
  /^\$\{.*\}$/s, // ${contact.phone}
  /^\[\[.*\]\]$/s, // [[ani]]
  new RegExp(`^@${TOKEN}@$`), // @Call.ANI@ (Five9, CXone)
  new RegExp(`^%${TOKEN}%$`), // %ANI%
  new RegExp(`^<${TOKEN}>$`), // <caller_phone>
  /^\$\.?[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/, // $.CustomerEndpoint.Address, $session.params.phone
];
const PLACEHOLDERS: readonly RegExp[] = [...TEMPLATE_PLACEHOLDERS, /^\{.*\}$/s]; // {{caller_phone}}, {caller_phone}

// For values that are stored rather than matched on, a JSON-looking `{…}` is data, not a placeholder.
const STRICT_PLACEHOLDERS: readonly RegExp[] = [
  ...TEMPLATE_PLACEHOLDERS,
  /^\{\{.*\}\}$/s,
  new RegExp(`^\\{${TOKEN}\\}$`),
];

/** True for a value an IVR left unfilled: blank, or an unsubstituted placeholder such as `@Call.notes@`. */
export function isUnfilled(value: string): boolean {
  const text = value.trim();
  return text === '' || STRICT_PLACEHOLDERS.some((pattern) => pattern.test(text));
}

/** The trimmed hint, or undefined when it is missing, blank, "null"-like text or an unsubstituted placeholder. */
export function cleanHint(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else return undefined;
  if (text === '' || ABSENT_WORDS.has(text.toLowerCase())) return undefined;
  if (PLACEHOLDERS.some((pattern) => pattern.test(text))) return undefined;
  return text;
}

/** Cleaned external ids (keys trimmed and lower-cased); `present` also counts the non-identifying ones. */
export function cleanExternalIds(
  value: unknown,
  nonIdentifyingKeys: readonly string[],
): { identifying: Record<string, string>; present: boolean } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { identifying: {}, present: false };
  }
  const ignored = new Set(nonIdentifyingKeys.map((key) => key.trim().toLowerCase()));
  const identifying = new Map<string, string>();
  let present = false;
  for (const [rawKey, rawValue] of Object.entries(value)) {
    const key = rawKey.trim().toLowerCase();
    const cleaned = cleanHint(rawValue);
    if (key === '' || cleaned === undefined) continue;
    present = true;
    // First spelling wins when `CRM_ID` and `crm_id` both arrive, so the result does not depend on retries.
    if (!ignored.has(key) && !identifying.has(key)) identifying.set(key, cleaned);
  }
  // fromEntries defines own properties, so a key like `__proto__` is kept rather than swallowed.
  return { identifying: Object.fromEntries(identifying), present };
}
