/** The domain's tunables (contract §3, §5, §6), read from config once and passed to the services. */
import { DEFAULT_IDENTITY_WEIGHTS, type IdentityWeights } from '../identity/confidence';
import { DEFAULT_NON_IDENTIFYING_KEYS } from '../identity/hints';

/** Limits on variable writes. */
export interface VariableLimits {
  /** Most variables in one request. */
  maxPerRequest: number;
  /** Longest value, in characters. */
  maxValueLength: number;
  /** Total size of a customer's unexpired variable values, in bytes (UTF-8), so start answers fit 32 KB. */
  budgetBytes: number;
}

/** Everything the caller-memory rules can be tuned by. */
export interface MemoryRules {
  /** Region for numbers without a country code (ISO 3166 alpha-2). */
  defaultRegion: string;
  /** External-id keys that are per-call ids, never identities. */
  nonIdentifyingKeys: readonly string[];
  /** Confidence weights. */
  weights: IdentityWeights;
  /** Open intents untouched this long stop being returned. */
  intentTtlMs: number;
  /** Default variable TTL. */
  variableTtlSeconds: number;
  /** Variable write limits. */
  variableLimits: VariableLimits;
  /** Provisional customers (nothing learnt) older than this are purged. */
  provisionalTtlMs: number;
  /** Calls that started longer ago than this are purged (0: kept forever). */
  callRetentionMs: number;
  /** A retried start replays its first answer exactly within this long of the call's start (REPLAY_WINDOW_HOURS). */
  replayWindowMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The contract's defaults. */
export const DEFAULT_MEMORY_RULES: MemoryRules = {
  defaultRegion: 'US',
  nonIdentifyingKeys: DEFAULT_NON_IDENTIFYING_KEYS,
  weights: DEFAULT_IDENTITY_WEIGHTS,
  intentTtlMs: 30 * DAY_MS,
  variableTtlSeconds: 2_592_000,
  variableLimits: { maxPerRequest: 100, maxValueLength: 4096, budgetBytes: 16 * 1024 },
  provisionalTtlMs: 7 * DAY_MS,
  callRetentionMs: 0,
  replayWindowMs: 48 * 60 * 60 * 1000,
};
