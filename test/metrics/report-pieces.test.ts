/**
 * A report read in pieces (a few local days per statement, as SQLite reads a long period) gives exactly
 * the figures of the report read whole: per-day rows in order, sums added, averages and rates made from
 * the summed counts, top intents ranked from whole-period totals. On both engines.
 */
import fc from 'fast-check';

import { IntentStatus } from '../../src/intents/intent-status';
import type { MetricsReport, Period } from '../../src/metrics/metrics.types';
import type { Tenant } from '../../src/tenancy/environment';
import { createMetricsFixture, type MetricsFixture } from '../support/metrics-fixture';
import { ENGINES } from '../support/scratch-database';

/** Random cases per engine (PROPERTY_RUNS overrides it for a longer local run). */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 25);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WHOLE = { chunkDays: Number.POSITIVE_INFINITY };
const at = (iso: string) => new Date(iso);
// 62 days: SQLite's default pieces are January and then 1 February–3 March.
const TWO_MONTHS = { from: '2026-01-01', to: '2026-03-03' };

describe.each(ENGINES)('a report read in pieces on %s', (engine) => {
  let f: MetricsFixture;
  beforeAll(async () => {
    f = await createMetricsFixture(engine);
  });
  afterAll(() => f.close());

  /** The report by default, read one day at a time, and read whole: all three must be equal; returns the first. */
  async function sameInPieces(tenant: Tenant, period: Period, compareTo: Period | null = null): Promise<MetricsReport> {
    const byDefault = await f.report(tenant, period, compareTo);
    expect(await f.report(tenant, period, compareTo, {}, { chunkDays: 1 })).toEqual(byDefault);
    expect(await f.report(tenant, period, compareTo, {}, WHOLE)).toEqual(byDefault);
    return byDefault;
  }

  it('ranks the top ten from the whole period’s totals: a name busiest overall but in no piece’s top ten comes first', async () => {
    const tenant = await f.organisation('UTC');
    await f.seed(tenant, async (rows) => {
      const names = Array.from({ length: 20 }, (_, i) => `n${String(i + 1).padStart(2, '0')}`);
      for (const [day, part] of [['2026-01-15', names.slice(0, 10)], ['2026-02-15', names.slice(10)]] as const) {
        const when = at(`${day}T12:00:00Z`);
        const c = await rows.customer(at('2026-01-01T00:00:00Z')); // a customer has one intent row per name
        // Ten names with 3 calls and 3 attempts each in this month; zz with 2 and 2, eleventh of the month.
        for (const name of [...part, ...part, ...part, 'zz', 'zz']) await rows.call({ customerId: c, startedAt: when, intent: name });
        for (const name of part) await rows.intent({ customerId: c, name, status: IntentStatus.OPEN, attemptCount: 3, createdAt: when, updatedAt: when });
        await rows.intent({ customerId: c, name: 'zz', status: IntentStatus.OPEN, attemptCount: 2, createdAt: when, updatedAt: when });
      }
    });
    const { intents } = (await sameInPieces(tenant, TWO_MONTHS)).current;
    const expected = [{ name: 'zz', calls: 4, attempts: 4 }, ...Array.from({ length: 9 }, (_, i) => ({ name: `n0${i + 1}`, calls: 3, attempts: 3 }))];
    expect(intents.topByVolume).toEqual(expected);
    expect(intents.topByAttempts).toEqual(expected);
  });

  it('averages handle time and CSAT over the period’s calls, and follows repeats across a piece boundary and past the period', async () => {
    const tenant = await f.organisation('UTC');
    await f.seed(tenant, async (rows) => {
      const a = await rows.customer(at('2026-01-01T00:00:00Z'));
      // January: 100 s with CSAT 2 and 600 s with CSAT 4. February: 200 s (CSAT 5), 300 s and 400 s.
      await rows.call({ customerId: a, startedAt: at('2026-01-31T23:50:00Z'), endedAt: at('2026-01-31T23:51:40Z'), csat: 2 });
      await rows.call({ customerId: a, startedAt: at('2026-02-01T00:00:00Z'), endedAt: at('2026-02-01T00:03:20Z'), csat: 5 }); // a transfer leg
      await rows.call({ customerId: a, startedAt: at('2026-02-03T10:00:00Z'), endedAt: at('2026-02-03T10:05:00Z') }); // a repeat
      const b = await rows.customer(at('2026-01-01T00:00:00Z'));
      await rows.call({ customerId: b, startedAt: at('2026-03-03T12:00:00Z') }); // the last day, in progress
      await rows.call({ customerId: b, startedAt: at('2026-03-08T12:00:00Z') }); // after the period: its repeat
      const c = await rows.customer(at('2026-01-01T00:00:00Z'));
      await rows.call({ customerId: c, startedAt: at('2026-01-15T09:00:00Z'), endedAt: at('2026-01-15T09:10:00Z'), csat: 4 });
      await rows.call({ customerId: c, startedAt: at('2026-02-20T09:00:00Z'), endedAt: at('2026-02-20T09:06:40Z') });
    });
    const { current } = await sameInPieces(tenant, TWO_MONTHS);
    expect(current.calls).toBe(6);
    // Not the mean of the months' means ((350 + 300) / 2 for handle time, (3 + 5) / 2 for CSAT).
    expect(current.handleTime).toEqual({ calls: 5, averageSeconds: 1600 / 5 });
    expect(current.csat).toMatchObject({ responses: 3, average: 11 / 3 });
    // C's second call is 36 days after its first: not a repeat.
    expect(current.repeatCalls).toMatchObject({ calls: 6, transfers: 1, repeated: 2, contacts: 5, rate: 2 / 5 });
  });

  it('counts a next call recorded before its previous one (a clock set back) as a transfer, whichever pieces they fall in', async () => {
    const tenant = await f.organisation('UTC');
    await f.seed(tenant, async (rows) => {
      const c = await rows.customer(at('2026-01-01T00:00:00Z'));
      await rows.call({ customerId: c, startedAt: at('2026-01-10T10:00:00Z'), previousCallAt: at('2026-02-10T10:00:00Z') });
    });
    expect((await sameInPieces(tenant, TWO_MONTHS)).current.repeatCalls).toMatchObject({ calls: 1, transfers: 1, repeated: 0 });
  });

  it('gives the same figures read whole or in pieces of any length, on random calls and intents across a daylight-saving change', async () => {
    const base = at('2026-02-20T05:00:00Z'); // midnight in New York; clocks go forward on 8 March
    const offset = fc.integer({ min: -2 * DAY, max: 62 * DAY });
    const gap = fc.constantFrom(5 * MINUTE, 15 * MINUTE, 15 * MINUTE + 1, 2 * DAY, 7 * DAY, 7 * DAY + 1, 20 * DAY);
    const call = fc.record({
      gap,
      minutes: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }),
      recommendation: fc.constantFrom('reuse', 'confirm', 'ignore') as fc.Arbitrary<'reuse' | 'confirm' | 'ignore'>,
      csat: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
      intent: fc.option(fc.constantFrom(...'abcdefghijklm'.split('').map((l) => `intent_${l}`)), { nil: null }),
      standalone: fc.boolean(),
      clockBack: fc.integer({ min: 0, max: 9 }),
    });
    const customer = fc.record({ first: offset, calls: fc.array(call, { minLength: 1, maxLength: 6 }) });
    const intent = fc.record({
      name: fc.constantFrom(...'abcdefghijklm'.split('').map((l) => `intent_${l}`)),
      status: fc.constantFrom(IntentStatus.OPEN, IntentStatus.RESOLVED, IntentStatus.RESOLVED, IntentStatus.ABANDONED),
      attempts: fc.constantFrom(1, 1, 2, 4),
      updated: offset,
      age: fc.constantFrom(0, 10 * MINUTE, 15 * MINUTE + 1, 3 * DAY),
    });
    const day = fc.integer({ min: 0, max: 60 }).map((d) => new Date(base.getTime() + d * DAY + 12 * 3_600_000).toISOString().slice(0, 10));
    const period = fc.tuple(day, day).map(([x, y]) => (x <= y ? { from: x, to: y } : { from: y, to: x }));
    const chunkDays = fc.constantFrom(1, 2, 3, 7, 31);
    await fc.assert(
      fc.asyncProperty(fc.array(customer, { minLength: 1, maxLength: 5 }), fc.array(intent, { minLength: 1, maxLength: 12 }), period, fc.option(period, { nil: null }), chunkDays, async (customers, intents, p, compareTo, days) => {
        const tenant = await f.organisation('America/New_York');
        await f.seed(tenant, async (rows) => {
          for (const spec of customers) {
            const customerId = await rows.customer(base);
            let startedAt = base.getTime() + spec.first;
            for (const c of spec.calls) {
              startedAt += c.gap;
              const endedAt = c.minutes === null ? null : new Date(startedAt + c.minutes * MINUTE + 1);
              // Now and then the previous call was recorded as later than this one (a clock set back).
              const previousCallAt = c.clockBack === 0 ? new Date(startedAt + 3 * DAY) : undefined;
              await rows.call({ customerId, startedAt: new Date(startedAt), endedAt, recommendation: c.recommendation, csat: c.csat, intent: c.intent, standalone: c.standalone, previousCallAt });
            }
          }
          for (const i of intents) {
            const owner = await rows.customer(base); // a customer has one intent row per name
            const updatedAt = new Date(base.getTime() + i.updated);
            await rows.intent({ customerId: owner, name: i.name, status: i.status, attemptCount: i.attempts, createdAt: new Date(updatedAt.getTime() - i.age), updatedAt });
          }
        });
        const whole = await f.report(tenant, p, compareTo, {}, WHOLE);
        expect(await f.report(tenant, p, compareTo, {}, { chunkDays: days })).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
