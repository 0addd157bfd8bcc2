/** Each outcome metric's definition (docs/metrics.md) on hand-built rows, on both engines. */
import { IntentStatus } from '../../src/intents/intent-status';
import type { Tenant } from '../../src/tenancy/environment';
import { createMetricsFixture, type MetricsFixture } from '../support/metrics-fixture';
import { ENGINES } from '../support/scratch-database';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = new Date('2026-02-10T10:00:00.000Z');
const after = (ms: number) => new Date(T0.getTime() + ms);
const ONE_DAY = { from: '2026-02-10', to: '2026-02-10' };

describe.each(ENGINES)('outcome metrics on %s', (engine) => {
  let f: MetricsFixture;
  beforeAll(async () => {
    f = await createMetricsFixture(engine);
  });
  afterAll(() => f.close());

  /** A new tenant whose customers each make calls at the given offsets from T0. */
  async function callers(offsets: number[][]): Promise<Tenant> {
    const tenant = await f.organisation('UTC');
    await f.seed(tenant, async (rows) => {
      for (const calls of offsets) {
        const customerId = await rows.customer(T0);
        for (const offset of calls) await rows.call({ customerId, startedAt: after(offset) });
      }
    });
    return tenant;
  }

  it('counts a next call at exactly the transfer window as a transfer and one millisecond later as a repeat', async () => {
    const tenant = await callers([[0, 15 * MINUTE], [0, 15 * MINUTE + 1]]);
    const { repeatCalls } = (await f.report(tenant, ONE_DAY)).current;
    expect(repeatCalls).toEqual({ calls: 4, transfers: 1, repeated: 1, contacts: 3, rate: 1 / 3, windowDays: 7, transferWindowMinutes: 15 });
  });

  it('counts a next call at exactly the repeat window as a repeat and one millisecond later as none, after the period’s end', async () => {
    const tenant = await callers([[0, 7 * DAY], [0, 7 * DAY + 1], [0]]);
    const { repeatCalls, firstContactResolution } = (await f.report(tenant, ONE_DAY)).current;
    expect([repeatCalls.calls, repeatCalls.transfers, repeatCalls.repeated, repeatCalls.rate]).toEqual([3, 0, 1, 1 / 3]);
    expect(firstContactResolution.proxyRate).toBe(1 - 1 / 3);
  });

  it('follows a transfer leg to the repeat that comes after it: one contact, repeated once', async () => {
    const tenant = await callers([[0, 10 * MINUTE, 2 * DAY]]);
    const { repeatCalls } = (await f.report(tenant, { from: '2026-02-10', to: '2026-02-12' })).current;
    expect([repeatCalls.calls, repeatCalls.transfers, repeatCalls.contacts, repeatCalls.repeated, repeatCalls.rate]).toEqual([3, 1, 2, 1, 1 / 2]);
  });

  it('judges repeats by the customer each call was matched to when it started: a later merge changes nothing', async () => {
    const tenant = await f.organisation('UTC');
    await f.seed(tenant, async (rows) => {
      const c = await rows.customer(T0);
      await rows.call({ customerId: c, startedAt: T0 });
      // Started as a new caller (no previous call), then merged into the customer above.
      await rows.call({ customerId: c, startedAt: after(DAY), previousCallAt: null });
    });
    const { repeatCalls } = (await f.report(tenant, ONE_DAY)).current;
    expect([repeatCalls.calls, repeatCalls.repeated, repeatCalls.rate]).toEqual([1, 0, 0]);
  });

  it('uses the configured windows', async () => {
    const tenant = await callers([[0, 20 * MINUTE], [0, 3 * DAY]]);
    const { repeatCalls } = (await f.report(tenant, ONE_DAY, null, { transferWindowMinutes: 30, repeatWindowDays: 2 })).current;
    expect([repeatCalls.transfers, repeatCalls.repeated, repeatCalls.windowDays, repeatCalls.transferWindowMinutes]).toEqual([1, 0, 2, 30]);
  });

  it('averages handle time over calls with a start and an end, leaving out calls in progress and ends without a start', async () => {
    const tenant = await f.organisation('UTC');
    await f.seed(tenant, async (rows) => {
      const c = await rows.customer(T0);
      await rows.call({ customerId: c, startedAt: T0, endedAt: after(60_000) });
      await rows.call({ customerId: c, startedAt: after(MINUTE), endedAt: after(MINUTE + 120_500) });
      await rows.call({ customerId: c, startedAt: after(5 * MINUTE) });
      await rows.call({ customerId: c, startedAt: after(6 * MINUTE), standalone: true });
    });
    const { handleTime, calls } = (await f.report(tenant, ONE_DAY)).current;
    expect(calls).toBe(4);
    expect(handleTime).toEqual({ calls: 2, averageSeconds: (60 + 120.5) / 2 });
  });

  it('averages the CSAT scores the period’s calls recorded', async () => {
    const tenant = await f.organisation('UTC');
    await f.seed(tenant, async (rows) => {
      const c = await rows.customer(T0);
      await rows.call({ customerId: c, startedAt: after(-DAY), csat: 1 }); // the day before
      for (const csat of [4, 5, null, 2.5]) await rows.call({ customerId: c, startedAt: T0, endedAt: after(MINUTE), csat });
    });
    expect((await f.report(tenant, ONE_DAY)).current.csat).toEqual({ variable: 'csat', responses: 3, average: 11.5 / 3 });
  });

  it('counts intents last changed in the period by their status, and resolutions by the call that raised them', async () => {
    const tenant = await f.organisation('UTC');
    await f.seed(tenant, async (rows) => {
      const c = await rows.customer(T0);
      const intent = (name: string, status: IntentStatus, attemptCount: number, updatedAt = T0, createdAt = after(-3 * DAY)) =>
        rows.intent({ customerId: c, name, status, attemptCount, createdAt, updatedAt });
      await intent('a', IntentStatus.RESOLVED, 1, T0, T0); // raised and resolved by one call
      await intent('b', IntentStatus.RESOLVED, 1, after(MINUTE), after(MINUTE));
      await intent('h', IntentStatus.RESOLVED, 1); // raised on an earlier call, resolved on this one: one attempt, not first contact
      await intent('i', IntentStatus.RESOLVED, 1, T0, after(-15 * MINUTE)); // resolved by a transfer leg: the same contact
      await intent('j', IntentStatus.RESOLVED, 1, T0, after(-15 * MINUTE - 1)); // 1 ms past the transfer window
      await intent('c', IntentStatus.RESOLVED, 3);
      await intent('d', IntentStatus.OPEN, 2);
      await intent('e', IntentStatus.ABANDONED, 1);
      await intent('f', IntentStatus.RESOLVED, 1, after(-DAY)); // changed before the period
      await intent('g', IntentStatus.OPEN, 1, after(DAY)); // after it
    });
    const { firstContactResolution, intents } = (await f.report(tenant, ONE_DAY)).current;
    expect(firstContactResolution).toEqual({ resolvedIntents: 6, resolvedFirstAttempt: 3, rate: 3 / 6, proxyRate: null });
    expect([intents.open, intents.abandoned]).toEqual([1, 1]);
  });

  it('ranks intents by calls and by attempts, ties by name, each entry with both figures', async () => {
    const tenant = await f.organisation('UTC');
    await f.seed(tenant, async (rows) => {
      const c1 = await rows.customer(T0);
      const c2 = await rows.customer(T0);
      await rows.call({ customerId: c1, startedAt: after(-DAY), intent: 'address' }); // before the period
      for (const intent of ['billing', 'billing', 'address', 'refund', 'refund']) await rows.call({ customerId: c1, startedAt: T0, intent });
      const intent = (customerId: string, name: string, attemptCount: number) =>
        rows.intent({ customerId, name, status: IntentStatus.OPEN, attemptCount, createdAt: T0, updatedAt: T0 });
      await intent(c1, 'billing', 1);
      await intent(c1, 'refund', 2);
      await intent(c2, 'refund', 3);
      await intent(c1, 'cancel', 4);
    });
    const { topByVolume, topByAttempts } = (await f.report(tenant, ONE_DAY)).current.intents;
    expect(topByVolume).toEqual([
      { name: 'billing', calls: 2, attempts: 1 },
      { name: 'refund', calls: 2, attempts: 5 },
      { name: 'address', calls: 1, attempts: 0 },
    ]);
    expect(topByAttempts).toEqual([
      { name: 'refund', calls: 2, attempts: 5 },
      { name: 'cancel', calls: 0, attempts: 4 },
      { name: 'billing', calls: 2, attempts: 1 },
    ]);
  });

  it('keeps the ten largest intents of each ranking', async () => {
    const tenant = await f.organisation('UTC');
    await f.seed(tenant, async (rows) => {
      const c = await rows.customer(T0);
      for (let i = 0; i < 12; i++) for (let n = 0; n <= i; n++) await rows.call({ customerId: c, startedAt: T0, intent: `intent_${String(i).padStart(2, '0')}` });
    });
    const { topByVolume } = (await f.report(tenant, ONE_DAY)).current.intents;
    expect(topByVolume.map((i) => i.calls)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
  });

  it('answers an empty period with zero counts and null rates ("not enough data")', async () => {
    const tenant = await f.organisation('UTC');
    const { current } = await f.report(tenant, { from: '2026-02-27', to: '2026-03-01' });
    expect(current.callsPerDay).toEqual(
      ['2026-02-27', '2026-02-28', '2026-03-01'].map((day) => ({ day, calls: 0, recognised: 0, toConfirm: 0, unrecognised: 0 })),
    );
    expect(current.repeatCalls).toMatchObject({ calls: 0, repeated: 0, transfers: 0, contacts: 0, rate: null });
    expect(current.firstContactResolution).toEqual({ resolvedIntents: 0, resolvedFirstAttempt: 0, rate: null, proxyRate: null });
    expect(current.handleTime).toEqual({ calls: 0, averageSeconds: null });
    expect(current.csat).toEqual({ variable: 'csat', responses: 0, average: null });
    expect(current.intents).toEqual({ open: 0, abandoned: 0, topByVolume: [], topByAttempts: [] });
  });

  it('builds the ROI table from the comparison period (Before) and the period (After)', async () => {
    const tenant = await f.organisation('UTC');
    await f.seed(tenant, async (rows) => {
      // Before, 1–2 February: 200 s handle time, CSAT 3, two contacts of which one repeated.
      const b = await rows.customer(T0);
      await rows.call({ customerId: b, startedAt: new Date('2026-02-01T10:00:00Z'), endedAt: new Date('2026-02-01T10:03:20Z'), csat: 3 });
      await rows.call({ customerId: b, startedAt: new Date('2026-02-02T10:00:00Z'), endedAt: new Date('2026-02-02T10:03:20Z'), csat: 3 });
      // After, 10 February: 150 s, CSAT 4.5, one contact not repeated.
      const a = await rows.customer(T0);
      await rows.call({ customerId: a, startedAt: T0, endedAt: after(150_000), csat: 4.5 });
      await rows.intent({ customerId: a, name: 'refund', status: IntentStatus.RESOLVED, attemptCount: 1, createdAt: T0, updatedAt: T0 });
    });
    const { roi } = await f.report(tenant, ONE_DAY, { from: '2026-02-01', to: '2026-02-02' });
    expect(roi.map(({ metric, before, after: a, improvement }) => ({ metric, before, after: a, improvement }))).toEqual([
      { metric: 'averageHandleTime', before: 200, after: 150, improvement: 0.25 },
      { metric: 'firstContactResolution', before: null, after: 1, improvement: null },
      { metric: 'csat', before: 3, after: 4.5, improvement: 0.5 },
      { metric: 'repeatCallRate', before: 0.5, after: 0, improvement: 1 },
    ]);
    expect(roi.map((r) => r.better)).toEqual(['lower', 'higher', 'higher', 'lower']);
  });
});
