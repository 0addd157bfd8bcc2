/**
 * What the agent sees on the screen pop, in words: built from plain data (screen-pop.service.ts reads it)
 * so every wording is unit-tested without a database or a browser.
 */
import { isNotesName } from '../calls/context-line';
import type { IntentStatus } from '../intents/intent-status';
import { withoutBidiControls, withoutBidiControlsDeep } from '../pages/plain-text';
import type { EarlierCalls, HistoryCall, PageCall } from './screen-pop.sql';
import { recognitionLines } from './recognition';
import { ago, count, dateTime, duration, humanise, humaniseInline, joinWords, ordinal } from './words';

/** Everything the page is made from. */
export interface ScreenPopData {
  /** The clock's time when the page was read. */
  now: Date;
  /** The organisation's IANA time zone, for dates. */
  timeZone: string;
  call: Pick<PageCall, 'callId' | 'startedAt' | 'endedAt' | 'durationSeconds' | 'ani' | 'lineType' | 'confidence' | 'level' | 'recommendation' | 'sources'>;
  /** The link's customer was merged into the one the call now belongs to. */
  mergedSince: boolean;
  earlier: EarlierCalls;
  /** Keys of the external ids the call matched on (e.g. `crm_id`). */
  matchedKeys: string[];
  openIntents: { name: string; status: IntentStatus; attemptCount: number; firstRaisedAt: Date; lastRaisedAt: Date }[];
  variables: { name: string; value: string; source: string | null; updatedAt: Date }[];
  /** The latest earlier calls, newest first, with the notes each wrote when they are still the saved ones. */
  recentCalls: (HistoryCall & { notes: string | null })[];
  /** The one-line context the start answered, if the call was started (not only ended). */
  context: string | null;
}

/** Settings that change the wording. */
export interface ScreenPopWording {
  /** The variable holding the caller's last satisfaction score (METRICS_CSAT_VARIABLE). */
  csatVariable: string;
}

/** The page, ready to render. */
export interface ScreenPopView {
  title: string;
  tone: 'returning' | 'confirm' | 'new';
  headline: string;
  /** The visible warning of a `confirm` recommendation. */
  warning: string | null;
  notices: string[];
  thisCall: string;
  confidence: string;
  recognition: string[];
  context: string | null;
  intents: string[];
  intentsNote: string | null;
  variables: { label: string; value: string; note: string }[];
  variablesNote: string | null;
  calls: { when: string; at: string; length: string; topic: string; notes: string | null; saved: string | null }[];
  callsNote: string;
  timeZone: string;
}

const LEVEL_WORDS: Record<string, string> = { very_high: 'Very high', high: 'High', medium: 'Medium', low: 'Low' };
const LIKELIHOOD: Record<string, string> = { very_high: 'very likely', high: 'likely' };
const STATUS_WORDS: Record<string, string> = { open: 'still open', resolved: 'resolved', abandoned: 'abandoned' };

function callerName(data: ScreenPopData): string | null {
  const saved = data.variables.find((v) => v.name === 'name')?.value;
  const name = saved === undefined ? undefined : withoutBidiControls(saved).replace(/\s+/g, ' ').trim();
  return name ? name : null;
}

function headline(data: ScreenPopData, name: string | null): Pick<ScreenPopView, 'tone' | 'headline' | 'warning'> {
  const { recommendation, level } = data.call;
  if (recommendation === 'reuse') {
    const likely = LIKELIHOOD[level] ?? 'probably';
    return { tone: 'returning', headline: `Returning caller, ${likely} ${name ?? 'someone who called before (no name saved)'}`, warning: null };
  }
  if (recommendation === 'confirm') {
    return {
      tone: 'confirm',
      headline: name ? `Probably ${name}: confirm before sharing account details` : 'Possibly a returning caller: confirm who they are before sharing account details',
      warning: 'We are not sure who this is. Ask the caller to confirm who they are (for example an account number or postcode) before you share or change anything on the account.',
    };
  }
  return { tone: 'new', headline: 'New caller', warning: null };
}

function notices(data: ScreenPopData, tone: ScreenPopView['tone']): string[] {
  const list: string[] = [];
  if (data.mergedSince) list.push('This caller’s record was merged with another since the call started: you are seeing the combined record.');
  if (tone === 'new' && data.earlier.count > 0) {
    list.push('The match with an earlier caller is too weak to rely on: treat this as a new caller. The details below belong to that earlier caller.');
  }
  return list;
}

function intentLine(i: ScreenPopData['openIntents'][number], now: Date): string {
  const when = i.attemptCount > 1 ? `first raised ${ago(i.firstRaisedAt, now)}, last ${ago(i.lastRaisedAt, now)}` : `raised ${ago(i.lastRaisedAt, now)}`;
  const abandoned = i.status === 'abandoned' ? ' (the caller gave up last time)' : '';
  return `${humanise(i.name)}: ${ordinal(i.attemptCount)} attempt, ${when}${abandoned}`;
}

/** Name first, then notes and the satisfaction score, then the rest by name: hides nothing the API returns. */
function variableRows(data: ScreenPopData, wording: ScreenPopWording): ScreenPopView['variables'] {
  const rank = (name: string) => (name === 'name' ? 0 : isNotesName(name) ? 1 : name === wording.csatVariable ? 2 : 3);
  return [...data.variables]
    .sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((v) => ({
      label: v.name === wording.csatVariable ? `${humanise(v.name)} (satisfaction score)` : humanise(v.name),
      value: v.value,
      note: `saved ${ago(v.updatedAt, data.now)}${v.source ? `, from ${v.source}` : ''}`,
    }));
}

function callLength(c: HistoryCall): string {
  if (!c.endedAt) return 'no end recorded';
  // Recorded by an end alone (no start): the platform never said when it began.
  if (c.endedAt.getTime() === c.startedAt.getTime()) return 'not timed';
  return duration(c.durationSeconds ?? 0);
}

function callRows(data: ScreenPopData): ScreenPopView['calls'] {
  return data.recentCalls.map((c) => ({
    when: ago(c.startedAt, data.now),
    at: dateTime(c.startedAt, data.timeZone),
    length: callLength(c),
    topic: c.intent ? `${humanise(c.intent)}, ${STATUS_WORDS[c.intentStatus ?? 'open'] ?? c.intentStatus}` : 'No intent recorded',
    notes: c.notes,
    saved: c.variablesWritten.length > 0 ? `Saved ${joinWords(c.variablesWritten.map(humaniseInline))}` : null,
  }));
}

function callsNote(data: ScreenPopData): string {
  const total = data.earlier.count;
  if (total === 0) return 'No earlier calls.';
  const shown = data.recentCalls.length;
  return shown < total ? `The last ${shown} of ${count(total, 'earlier call')}, newest first.` : `${count(total, 'earlier call')}, newest first.`;
}

function thisCall(data: ScreenPopData): string {
  const { call, now, timeZone } = data;
  const ended = call.endedAt ? `, ended after ${duration(call.durationSeconds ?? 0)}` : '';
  return `Call ${call.callId} started ${ago(call.startedAt, now)} (${dateTime(call.startedAt, timeZone)})${ended}.`;
}

/** Builds the page's view from its data; caller text never carries controls that reorder the page's words. */
export function buildScreenPopView(data: ScreenPopData, wording: ScreenPopWording): ScreenPopView {
  const name = callerName(data);
  const top = headline(data, name);
  return withoutBidiControlsDeep({
    title: name && top.tone !== 'new' ? `Screen pop: ${name}` : 'Screen pop',
    ...top,
    notices: notices(data, top.tone),
    thisCall: thisCall(data),
    confidence: `${LEVEL_WORDS[data.call.level] ?? data.call.level} confidence (${data.call.confidence.toFixed(2)})`,
    recognition: recognitionLines(data),
    context: data.context,
    intents: data.openIntents.map((i) => intentLine(i, data.now)),
    intentsNote: data.openIntents.length === 0 ? 'No open requests.' : null,
    variables: variableRows(data, wording),
    variablesNote: data.variables.length === 0 ? 'No saved details.' : null,
    calls: callRows(data),
    callsNote: callsNote(data),
    timeZone: data.timeZone,
  });
}
