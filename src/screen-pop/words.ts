/** Plain-English wording for pages: ordinals, counts, ages, durations, and names written for people. */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 101st, 111th … */
export function ordinal(n: number): string {
  const lastTwo = Math.abs(n) % 100;
  const last = Math.abs(n) % 10;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'th' : last === 1 ? 'st' : last === 2 ? 'nd' : last === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** `1 call`, `3 calls` (plural given when it is not singular + s). */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** How long before `now`: just now, 5 minutes ago, 1 hour ago, 3 days ago (whole units, rounded down). */
export function ago(then: Date, now: Date): string {
  const ms = now.getTime() - then.getTime();
  if (ms < MINUTE_MS) return 'just now';
  if (ms < HOUR_MS) return `${count(Math.floor(ms / MINUTE_MS), 'minute')} ago`;
  if (ms < DAY_MS) return `${count(Math.floor(ms / HOUR_MS), 'hour')} ago`;
  return `${count(Math.floor(ms / DAY_MS), 'day')} ago`;
}

/** A call's length: 45 s, 4 min 12 s, 1 h 5 min. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const minutes = Math.floor((s % 3600) / 60);
  return minutes === 0 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 3600)} h ${minutes} min`;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// Words an agent reads as letters. `id` stays lower case, as in "CRM id".
const ACRONYMS = new Set(['crm', 'csat', 'nps', 'vip', 'ivr', 'sms', 'url', 'api', 'ani', 'dnis', 'sla', 'aht', 'fcr', 'pin', 'otp', 'zip', 'voip', 'iban', 'vat', 'dob', 'ssn', 'uk', 'us', 'eu']);

/** A variable, intent or key name for people: `last_summary` → `Last summary`, `crm_id` → `CRM id`. */
export function humanise(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((word) => (ACRONYMS.has(word.toLowerCase()) ? word.toUpperCase() : word.toLowerCase()));
  if (words.length === 0) return name;
  const [first, ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

/** The same, for the middle of a sentence: `crm_id` → `CRM id`, `account_number` → `account number`. */
export function humaniseInline(name: string): string {
  const words = humanise(name);
  const first = words.split(' ')[0];
  return first === first.toUpperCase() && /[A-Z]{2}/.test(first) ? words : words.charAt(0).toLowerCase() + words.slice(1);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** A moment in the organisation's time zone: `Sat, 7 Feb 2026, 10:30`. */
export function dateTime(moment: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  return format.format(moment);
}
