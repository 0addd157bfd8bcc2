/**
 * How the caller was recognised, in words: the call's stored sources (contract §5) read with the
 * customer's data ("same mobile number as 3 earlier calls", "CRM id matched", "last called 2 days ago").
 */
import type { ScreenPopData } from './screen-pop.view-model';
import { ago, count, humanise, humaniseInline, joinWords } from './words';

const LINE_WORDS: Record<string, string> = { mobile: 'mobile', landline: 'landline', voip: 'VoIP', unknown: 'phone' };

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function numberLine(lineType: string, sameNumber: number): string {
  const kind = LINE_WORDS[lineType] ?? 'phone';
  return sameNumber > 0 ? `Same ${kind} number as ${count(sameNumber, 'earlier call')}` : `${capitalise(kind)} number already on file`;
}

function externalLine(keys: string[]): string {
  if (keys.length === 0) return 'An external id (such as a CRM id) matched';
  const [first, ...rest] = [...new Set(keys)].sort();
  return `${joinWords([humanise(first), ...rest.map(humaniseInline)])} matched`;
}

function sourceLine(source: string, data: Pick<ScreenPopData, 'earlier' | 'matchedKeys'>): string | null {
  if (source === 'customer_ref') return 'Customer reference matched (the platform sent the reference from an earlier call)';
  if (source === 'external_id') return externalLine(data.matchedKeys);
  if (source === 'ani:shared') return 'That number is shared by more than one caller, so it counted for half';
  if (source === 'conflict') return 'The number belongs to a different caller; the external id decided';
  if (source.startsWith('ani:')) return numberLine(source.slice(4), data.earlier.sameNumber);
  // The gap is worded from the stored calls below; the source only repeats it in whole days.
  if (source.startsWith('recency:')) return null;
  return `Other signal: ${source}`;
}

/** One line per reason we think we know the caller, and when they last called. */
export function recognitionLines(data: Pick<ScreenPopData, 'call' | 'earlier' | 'matchedKeys' | 'now'>): string[] {
  const lines = data.call.sources.map((s) => sourceLine(s, data)).filter((line): line is string => line !== null);
  if (data.call.sources.length === 0) {
    lines.push(data.call.ani ? 'Nothing matched: the number, ids and reference are new to us' : 'Nothing matched: no usable caller number, id or reference was sent');
  }
  const recency = data.call.sources.map((s) => /^recency:(\d+)day$/.exec(s)).find(Boolean);
  if (data.earlier.lastAt) lines.push(`Last called ${ago(data.earlier.lastAt, data.now)}`);
  // Earlier calls erased or moved away since: the stored source still knows the gap.
  else if (recency) lines.push(`Last called ${count(Number(recency[1]), 'day')} before this call`);
  else lines.push('First call we know of');
  return lines;
}
