/** One readable line for an agent: when they last called, about what, its status, the latest notes. */
import type { StartCallData } from './calls.operations';

type Start = StartCallData['startCall'];

/** What the line is made from: a start answer, or the screen pop's copy of one (src/screen-pop). */
export interface ContextSource {
  call: Pick<Start['call'], 'startedAt'>;
  previousCallAt: Start['previousCallAt'];
  lastIntent: { name: string; status: string } | null;
  openIntents: { name: string; status: string; attemptCount: number }[];
  variables: Pick<Start['variables'][number], 'name' | 'value' | 'updatedAt'>[];
}

const NOTES = /(^|_)(summary|notes?)$/i;
const DAY_MS = 86_400_000;

/** True for a variable that holds a call's notes: `summary`, `note(s)`, or a name ending in `_summary`, `_note(s)`. */
export function isNotesName(name: string): boolean {
  return NOTES.test(name);
}

function ago(from: Date, to: Date): string {
  const days = Math.floor((to.getTime() - from.getTime()) / DAY_MS);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

/** The `context` value of the flat block. */
export function contextLine(start: ContextSource): string {
  const parts: string[] = [];
  if (!start.previousCallAt) {
    parts.push('First call.');
  } else {
    const when = new Date(start.previousCallAt);
    let last = `Last called ${ago(when, new Date(start.call.startedAt))} (${start.previousCallAt.slice(0, 10)})`;
    if (start.lastIntent) last += ` about ${start.lastIntent.name} (${start.lastIntent.status.toLowerCase()})`;
    parts.push(`${last}.`);
  }
  const open = start.openIntents.filter((i) => i.name !== start.lastIntent?.name || i.status !== start.lastIntent.status);
  if (open.length > 0) parts.push(`Open: ${open.map((i) => `${i.name} (attempt ${i.attemptCount})`).join(', ')}.`);
  const notes = start.variables.filter((v) => NOTES.test(v.name)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  if (notes) parts.push(`Notes: ${notes.value.replace(/\s+/g, ' ').slice(0, 300)}`);
  return parts.join(' ');
}
