/**
 * The outcome metrics of one organisation and environment over a period of local days (docs/metrics.md).
 * One shape for every reader: the GraphQL `metrics` field returns it, the dashboard renders it and feeds
 * its charts from it. Rates are shares in [0,1]; null means "not enough data" (nothing to divide by).
 */

/** A period of whole local days in the organisation's time zone, both ends included (YYYY-MM-DD). */
export interface Period {
  from: string;
  to: string;
}

/** One local day's calls, split by how the caller was recognised at start. */
export interface DayCalls {
  /** The local day, YYYY-MM-DD. */
  day: string;
  calls: number;
  /** Recommendation `reuse`: recognised. */
  recognised: number;
  /** Recommendation `confirm`: to confirm. */
  toConfirm: number;
  /** Recommendation `ignore`: new or not recognised. */
  unrecognised: number;
}

/** Repeat calls: a call followed by another from the same customer within the window (transfers excluded). */
export interface RepeatCalls {
  /** Calls in the period (each may or may not be followed by another). */
  calls: number;
  /** Calls followed by another call of the same customer after the transfer window and within the repeat window. */
  repeated: number;
  /** Calls followed by another within the transfer window: counted as transfers, not repeats. */
  transfers: number;
  /** Contacts: calls − transfers (a call handed on within the transfer window is one contact with the next leg). */
  contacts: number;
  /** repeated / contacts (docs/metrics.md). */
  rate: number | null;
  windowDays: number;
  transferWindowMinutes: number;
}

/** First-contact resolution, two ways (both labelled with their definition on every page). */
export interface FirstContactResolution {
  /** Intents resolved in the period. */
  resolvedIntents: number;
  /** Of those, resolved on first contact: one attempt, within the transfer window of being raised. */
  resolvedFirstAttempt: number;
  /** resolvedFirstAttempt / resolvedIntents. */
  rate: number | null;
  /** The industry's operational proxy: 1 − repeat-call rate. */
  proxyRate: number | null;
}

/** Handle time from start to end, over calls whose end came after their start. */
export interface HandleTime {
  /** Calls with an end after their start (not in progress, not recorded by an end alone). */
  calls: number;
  averageSeconds: number | null;
}

/** CSAT: the numeric variable (default `csat`) written by ends in the period. */
export interface Csat {
  variable: string;
  responses: number;
  average: number | null;
}

/** One intent name's volume and effort. */
export interface IntentVolume {
  name: string;
  /** Calls in the period that reported this intent. */
  calls: number;
  /** Sum of attempt counts of this intent's rows touched in the period. */
  attempts: number;
}

/** Intents at the end of the period and the busiest intents in it. */
export interface IntentSummary {
  /** Intents still open (touched in the period, not resolved). */
  open: number;
  abandoned: number;
  topByVolume: IntentVolume[];
  topByAttempts: IntentVolume[];
}

/** Every metric of one period. */
export interface PeriodMetrics {
  period: Period;
  timeZone: string;
  calls: number;
  callsPerDay: DayCalls[];
  recognised: number;
  toConfirm: number;
  unrecognised: number;
  repeatCalls: RepeatCalls;
  firstContactResolution: FirstContactResolution;
  handleTime: HandleTime;
  csat: Csat;
  intents: IntentSummary;
}

/** Which way is better for a metric of the ROI table. */
export type Better = 'lower' | 'higher';

/** One row of the Five9 guide's ROI table: Before / After / Improvement. */
export interface RoiRow {
  /** `averageHandleTime` (seconds), `firstContactResolution` (share), `csat` (score), `repeatCallRate` (share). */
  metric: 'averageHandleTime' | 'firstContactResolution' | 'csat' | 'repeatCallRate';
  label: string;
  better: Better;
  /** Null: not enough data in that period. */
  before: number | null;
  after: number | null;
  /** Relative change in the better direction ((before − after) / before for `lower`, (after − before) / before for `higher`); null when either side is null or before is 0. */
  improvement: number | null;
}

/** The answer of `metrics(from, to, environment, compareTo)`. */
export interface MetricsReport {
  environment: string;
  current: PeriodMetrics;
  /** Present when a comparison period was asked for. */
  comparison: PeriodMetrics | null;
  /** Before = comparison, After = current; empty without a comparison period. */
  roi: RoiRow[];
}

/** What `metrics` is asked: a period and, optionally, the period to compare it with (the ROI table's Before). */
export interface MetricsRequest {
  period: Period;
  compareTo?: Period | null;
}
