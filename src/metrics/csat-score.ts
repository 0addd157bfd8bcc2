/** The CSAT score a call's end carries: the configured variable written with a number (docs/metrics.md). */
import type { VariableWrite } from '../variables/variable.service';

/** The range a score must fall in: wide enough for 1–5, 1–10 and 0–100 scales. */
export const CSAT_RANGE = { min: 0, max: 100 } as const;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * The score of the last write of `variable` among an end's variable writes: a plain decimal number in
 * CSAT_RANGE. Anything else (a deletion, text, a boolean, an out-of-range number) records no score.
 */
export function csatScore(writes: readonly VariableWrite[], variable: string): number | null {
  const write = writes.findLast((w) => w.name === variable);
  const text = write?.value?.trim();
  if (!text || !DECIMAL.test(text)) return null;
  const score = Number(text);
  return score >= CSAT_RANGE.min && score <= CSAT_RANGE.max ? score : null;
}
