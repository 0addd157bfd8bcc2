/**
 * How sure we are that a caller is the customer we matched: a sum of weighted signals (contract §5).
 * Pure; the matcher decides which signals hold and this turns them into the `identity` block.
 */

/** Line types a telco or platform may report for a number. */
export const LINE_TYPES = ['mobile', 'landline', 'voip', 'unknown'] as const;

/** A number's line type; `unknown` when nobody said. */
export type LineType = (typeof LINE_TYPES)[number];

/** Weight of each signal in the confidence score. */
export interface IdentityWeights {
  /** A `customer_ref` hint that names an existing customer. */
  customerRef: number;
  /** An external id of the matched customer. */
  externalId: number;
  /** The matched customer's ANI, by line type. */
  ani: Record<LineType, number>;
  /** Multiplier for an ANI that several customers share. */
  sharedAniFactor: number;
  /** Bonus when the customer called within the recency window. */
  recencyBonus: number;
  /** Days since the previous call that still earn the recency bonus. */
  recencyWindowDays: number;
}

/** The contract's default weights. */
export const DEFAULT_IDENTITY_WEIGHTS: IdentityWeights = {
  customerRef: 1,
  externalId: 0.4,
  ani: { mobile: 0.5, unknown: 0.35, landline: 0.3, voip: 0.2 },
  sharedAniFactor: 0.5,
  recencyBonus: 0.05,
  recencyWindowDays: 7,
};

/** Confidence band shown to integrations. */
export type ConfidenceLevel = 'very_high' | 'high' | 'medium' | 'low';

/** What an integration should do with the match. */
export type Recommendation = 'reuse' | 'confirm' | 'ignore';

/** Which signals tie the caller to the matched customer. */
export interface MatchSignals {
  /** A customer was matched at all. */
  matched: boolean;
  /** Matched through `customer_ref`. */
  customerRef: boolean;
  /** An external id of the matched customer was given. */
  externalId: boolean;
  /** The ANI belongs to the matched customer. */
  ani?: { lineType: LineType; shared: boolean };
  /** An ANI or external id pointed at a different customer. */
  conflict: boolean;
  /** Fractional days since the matched customer's previous call, if any. */
  daysSinceLastCall?: number;
}

/** The `identity` block of a start answer. */
export interface Identification {
  /** Score in [0,1], two decimals. */
  confidence: number;
  /** Band of the score. */
  level: ConfidenceLevel;
  /** Signals that contributed, in a fixed order. */
  sources: string[];
  /** What the integration should do. */
  recommendation: Recommendation;
}

const NO_MATCH: Identification = { confidence: 0, level: 'low', sources: [], recommendation: 'ignore' };

/** Clamps to [0,1] and rounds to two decimals without float artefacts (0.35 + 0.05 is exactly 0.4). */
function toConfidence(sum: number): number {
  const clamped = Math.min(1, Math.max(0, sum));
  // Trim the binary noise first so a sum such as 0.145 (stored as 0.14499…) rounds up as written.
  return Math.round(Number((clamped * 100).toFixed(6))) / 100;
}

/** The level band of a confidence: very_high ≥ 0.9, high ≥ 0.7, medium ≥ 0.5, else low. */
export function levelOf(confidence: number): ConfidenceLevel {
  if (confidence >= 0.9) return 'very_high';
  if (confidence >= 0.7) return 'high';
  if (confidence >= 0.5) return 'medium';
  return 'low';
}

/** The recommendation for a confidence: reuse ≥ 0.5, confirm ≥ 0.3, else ignore. */
export function recommendationOf(confidence: number): Recommendation {
  if (confidence >= 0.5) return 'reuse';
  if (confidence >= 0.3) return 'confirm';
  return 'ignore';
}

/** Scores a match: the sum of its signals' weights, clamped to [0,1], two decimals, with its sources. */
export function scoreIdentity(
  signals: MatchSignals,
  weights: IdentityWeights = DEFAULT_IDENTITY_WEIGHTS,
): Identification {
  if (!signals.matched) return { ...NO_MATCH, sources: [] };
  let sum = 0;
  const sources: string[] = [];
  if (signals.customerRef) {
    sum += weights.customerRef;
    sources.push('customer_ref');
  }
  if (signals.ani) {
    const weight = weights.ani[signals.ani.lineType];
    sum += signals.ani.shared ? weight * weights.sharedAniFactor : weight;
    sources.push(`ani:${signals.ani.lineType}`);
    if (signals.ani.shared) sources.push('ani:shared');
  }
  if (signals.externalId) {
    sum += weights.externalId;
    sources.push('external_id');
  }
  const days = signals.daysSinceLastCall;
  if (days !== undefined && days <= weights.recencyWindowDays) {
    sum += weights.recencyBonus;
    // A negative gap (clock skew between nodes) still means "just now".
    sources.push(`recency:${Math.max(1, Math.floor(days))}day`);
  }
  if (signals.conflict) sources.push('conflict');
  const confidence = toConfidence(sum);
  return { confidence, level: levelOf(confidence), sources, recommendation: recommendationOf(confidence) };
}
