import {
  DEFAULT_IDENTITY_WEIGHTS,
  levelOf,
  recommendationOf,
  scoreIdentity,
  type Identification,
  type IdentityWeights,
  type MatchSignals,
} from '../../src/identity/confidence';

const NONE: MatchSignals = { matched: true, customerRef: false, externalId: false, conflict: false };
const signals = (overrides: Partial<MatchSignals>): MatchSignals => ({ ...NONE, ...overrides });
const MINUTE = 1 / (24 * 60);

describe('scoreIdentity', () => {
  const mobile = { lineType: 'mobile', shared: false } as const;
  const unknownLine = { lineType: 'unknown', shared: false } as const;

  it.each<{ name: string; input: MatchSignals; expected: Identification }>([
    {
      name: 'an ANI-only repeat a minute later with no line type',
      input: signals({ ani: unknownLine, daysSinceLastCall: MINUTE }),
      expected: { confidence: 0.4, level: 'low', recommendation: 'confirm', sources: ['ani:unknown', 'recency:1day'] },
    },
    {
      name: 'mobile ANI + CRM id + a call 1 day ago',
      input: signals({ ani: mobile, externalId: true, daysSinceLastCall: 1 }),
      expected: {
        confidence: 0.95,
        level: 'very_high',
        recommendation: 'reuse',
        sources: ['ani:mobile', 'external_id', 'recency:1day'],
      },
    },
    {
      name: 'customer_ref alone',
      input: signals({ customerRef: true }),
      expected: { confidence: 1, level: 'very_high', recommendation: 'reuse', sources: ['customer_ref'] },
    },
    {
      name: 'customer_ref + external id + mobile ANI + recency, clamped to 1',
      input: signals({ customerRef: true, externalId: true, ani: mobile, daysSinceLastCall: 2 }),
      expected: {
        confidence: 1,
        level: 'very_high',
        recommendation: 'reuse',
        sources: ['customer_ref', 'ani:mobile', 'external_id', 'recency:2day'],
      },
    },
    {
      name: 'a shared mobile ANI alone at half weight',
      input: signals({ ani: { lineType: 'mobile', shared: true } }),
      expected: { confidence: 0.25, level: 'low', recommendation: 'ignore', sources: ['ani:mobile', 'ani:shared'] },
    },
    {
      name: 'an external id that won a conflict',
      input: signals({ externalId: true, conflict: true }),
      expected: { confidence: 0.4, level: 'low', recommendation: 'confirm', sources: ['external_id', 'conflict'] },
    },
    {
      name: 'a mobile ANI alone',
      input: signals({ ani: mobile }),
      expected: { confidence: 0.5, level: 'medium', recommendation: 'reuse', sources: ['ani:mobile'] },
    },
    {
      name: 'a landline ANI alone',
      input: signals({ ani: { lineType: 'landline', shared: false } }),
      expected: { confidence: 0.3, level: 'low', recommendation: 'confirm', sources: ['ani:landline'] },
    },
    {
      name: 'a voip ANI alone',
      input: signals({ ani: { lineType: 'voip', shared: false } }),
      expected: { confidence: 0.2, level: 'low', recommendation: 'ignore', sources: ['ani:voip'] },
    },
    {
      name: 'an ANI of unknown line type alone',
      input: signals({ ani: unknownLine }),
      expected: { confidence: 0.35, level: 'low', recommendation: 'confirm', sources: ['ani:unknown'] },
    },
    {
      name: 'no recency bonus for a previous call 8 days ago',
      input: signals({ ani: mobile, daysSinceLastCall: 8 }),
      expected: { confidence: 0.5, level: 'medium', recommendation: 'reuse', sources: ['ani:mobile'] },
    },
    {
      name: 'a recency bonus for a previous call exactly 7 days ago',
      input: signals({ ani: mobile, daysSinceLastCall: 7 }),
      expected: { confidence: 0.55, level: 'medium', recommendation: 'reuse', sources: ['ani:mobile', 'recency:7day'] },
    },
    {
      name: 'recency in whole days (3.7 days → recency:3day)',
      input: signals({ ani: { lineType: 'landline', shared: false }, daysSinceLastCall: 3.7 }),
      expected: { confidence: 0.35, level: 'low', recommendation: 'confirm', sources: ['ani:landline', 'recency:3day'] },
    },
    {
      name: 'a shared unknown-line ANI + external id (0.575 rounds to 0.58)',
      input: signals({ ani: { lineType: 'unknown', shared: true }, externalId: true }),
      expected: {
        confidence: 0.58,
        level: 'medium',
        recommendation: 'reuse',
        sources: ['ani:unknown', 'ani:shared', 'external_id'],
      },
    },
    {
      name: 'no match as 0 whatever the other signals say',
      input: { matched: false, customerRef: true, externalId: true, ani: mobile, conflict: true, daysSinceLastCall: 1 },
      expected: { confidence: 0, level: 'low', recommendation: 'ignore', sources: [] },
    },
  ])('scores $name', ({ input, expected }) => {
    expect(scoreIdentity(input)).toEqual(expected);
  });

  it('honours custom weights', () => {
    const weights: IdentityWeights = {
      customerRef: 0.9,
      externalId: 0.6,
      ani: { mobile: 0.4, unknown: 0.25, landline: 0.2, voip: 0.1 },
      sharedAniFactor: 0.25,
      recencyBonus: 0.1,
      recencyWindowDays: 30,
    };
    const sharedMobile = signals({ ani: { lineType: 'mobile', shared: true }, daysSinceLastCall: 20 });
    expect(scoreIdentity(sharedMobile, weights)).toEqual({
      confidence: 0.2,
      level: 'low',
      sources: ['ani:mobile', 'ani:shared', 'recency:20day'],
      recommendation: 'ignore',
    });
    const voipAndCrm = signals({ externalId: true, ani: { lineType: 'voip', shared: false } });
    expect(scoreIdentity(voipAndCrm, weights).confidence).toBe(0.7);
    expect(DEFAULT_IDENTITY_WEIGHTS.externalId).toBe(0.4);
  });

  it('rounds a half-hundredth up as written, despite binary floats', () => {
    const weights: IdentityWeights = { ...DEFAULT_IDENTITY_WEIGHTS, externalId: 0.145 };
    expect(scoreIdentity(signals({ externalId: true }), weights).confidence).toBe(0.15);
  });
});

describe('levelOf and recommendationOf', () => {
  it.each([
    [1, 'very_high', 'reuse'],
    [0.9, 'very_high', 'reuse'],
    [0.89, 'high', 'reuse'],
    [0.7, 'high', 'reuse'],
    [0.69, 'medium', 'reuse'],
    [0.5, 'medium', 'reuse'],
    [0.49, 'low', 'confirm'],
    [0.3, 'low', 'confirm'],
    [0.29, 'low', 'ignore'],
    [0, 'low', 'ignore'],
  ])('puts %p at level %p with recommendation %p', (confidence, level, recommendation) => {
    expect(levelOf(confidence)).toBe(level);
    expect(recommendationOf(confidence)).toBe(recommendation);
  });
});
