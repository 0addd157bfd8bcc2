/** The dashboard's headline figures: value, what it counts, and its definition in words (docs/metrics.md). */
import type { PeriodMetrics } from '../metrics/metrics.types';
import { formatCount, formatDuration, formatPercent, formatScore, NOT_ENOUGH_DATA } from './dashboard-format';

/** One headline figure, with how it is computed in words. */
export interface Figure {
  label: string;
  value: string;
  /** True when the value is "not enough data" (shown smaller). */
  empty?: boolean;
  detail: string;
  definition?: string;
}

const share = (part: number, whole: number) => formatPercent(whole === 0 ? null : part / whole);

/** The period's headline figures, each with its definition in words. */
export function headlineFigures(m: PeriodMetrics): Figure[] {
  return figureList(m).map((f) => ({ ...f, empty: f.value === NOT_ENOUGH_DATA }));
}

function figureList(m: PeriodMetrics): Figure[] {
  const r = m.repeatCalls;
  const f = m.firstContactResolution;
  return [
    {
      label: 'Calls',
      value: formatCount(m.calls),
      detail: `${formatCount(m.handleTime.calls)} with a start and an end`,
      definition: 'Calls started in the period, each counted on its local day.',
    },
    {
      label: 'Recognised',
      value: share(m.recognised, m.calls),
      detail: `${formatCount(m.recognised)} of ${formatCount(m.calls)} calls`,
      definition: 'Calls whose caller was recognised at start (recommendation “reuse”).',
    },
    {
      label: 'Average handle time',
      value: formatDuration(m.handleTime.averageSeconds),
      detail: `over ${formatCount(m.handleTime.calls)} calls (minutes:seconds)`,
      definition: 'Average time from call start to call end, over calls with both.',
    },
    {
      label: 'CSAT',
      value: formatScore(m.csat.average),
      detail: `${formatCount(m.csat.responses)} ${m.csat.responses === 1 ? 'response' : 'responses'}`,
      definition: `Average of the numeric “${m.csat.variable}” variable saved at call end.`,
    },
    {
      label: 'Repeat-call rate',
      value: formatPercent(r.rate),
      detail: `${formatCount(r.repeated)} of ${formatCount(r.contacts)} contacts repeated; ${formatCount(r.transfers)} transfers not counted`,
      definition: `Share of contacts followed by another call from the same customer within ${r.windowDays} days; a next call within ${r.transferWindowMinutes} minutes is a transfer (the same contact), not a repeat.`,
    },
    {
      label: 'First-contact resolution',
      value: formatPercent(f.rate),
      detail: `${formatCount(f.resolvedFirstAttempt)} of ${formatCount(f.resolvedIntents)} resolved intents`,
      definition: 'Share of the intents resolved in the period that were resolved on first contact (by the call that raised them or its transfer).',
    },
    {
      label: 'First-contact resolution (proxy)',
      value: formatPercent(f.proxyRate),
      detail: 'contacts not followed by a repeat call',
      definition: '1 − repeat-call rate: the operational proxy the industry uses.',
    },
    {
      label: 'Open intents',
      value: formatCount(m.intents.open),
      detail: `${formatCount(m.intents.abandoned)} abandoned`,
      definition: 'Intents touched in the period and not resolved; abandoned ones were given up.',
    },
  ];
}
