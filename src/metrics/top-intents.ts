/** The busiest intent names of a period, ranked from its full per-name totals (docs/metrics.md). */
import type { IntentVolume } from './metrics.types';

/** How many intent names each top list gives. */
export const TOP_INTENTS = 10;

/**
 * The `limit` names with the most calls and the `limit` with the most attempts, ties by name, each entry
 * with both figures. The totals must be the whole period's (every name, every piece added up): ranking
 * each piece's top few would miss a name that is busy over the period but in no piece's top list.
 */
export function topIntents(
  callsByName: ReadonlyMap<string, number>,
  attemptsByName: ReadonlyMap<string, number>,
  limit = TOP_INTENTS,
): { topByVolume: IntentVolume[]; topByAttempts: IntentVolume[] } {
  const volume = (name: string): IntentVolume => ({ name, calls: callsByName.get(name) ?? 0, attempts: attemptsByName.get(name) ?? 0 });
  // Stored names are [a-z0-9_] (intent-name.ts), so this order is the databases' byte / "C" order too.
  const ranked = (totals: ReadonlyMap<string, number>) =>
    [...totals]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([name]) => volume(name));
  return { topByVolume: ranked(callsByName), topByAttempts: ranked(attemptsByName) };
}
