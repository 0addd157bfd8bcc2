/** Calls per local day and the recognition shares, on hand-built rows: day, month and DST boundaries. */
import { AppError } from '../../src/errors/app-error';
import { Environment } from '../../src/tenancy/environment';
import { createMetricsFixture, type MetricsFixture } from '../support/metrics-fixture';
import { ENGINES } from '../support/scratch-database';

const at = (iso: string) => new Date(iso);

describe.each(ENGINES)('calls per day on %s', (engine) => {
  let f: MetricsFixture;
  beforeAll(async () => {
    f = await createMetricsFixture(engine);
  });
  afterAll(() => f.close());

  it('counts each call on its UTC day across a month boundary, with the recognition split', async () => {
    const tenant = await f.organisation('UTC');
    await f.seed(tenant, async (rows) => {
      const c = await rows.customer(at('2026-01-01T00:00:00Z'));
      await rows.call({ customerId: c, startedAt: at('2026-01-30T23:59:59.999Z') }); // before the period
      await rows.call({ customerId: c, startedAt: at('2026-01-31T00:00:00.000Z'), recommendation: 'reuse' });
      await rows.call({ customerId: c, startedAt: at('2026-01-31T23:59:59.999Z'), recommendation: 'confirm' });
      await rows.call({ customerId: c, startedAt: at('2026-02-01T00:00:00.000Z'), recommendation: 'ignore' });
      await rows.call({ customerId: c, startedAt: at('2026-02-01T12:00:00.000Z'), recommendation: 'reuse' });
      await rows.call({ customerId: c, startedAt: at('2026-02-02T00:00:00.000Z') }); // after the period
    });
    const { current } = await f.report(tenant, { from: '2026-01-31', to: '2026-02-01' });
    expect(current.callsPerDay).toEqual([
      { day: '2026-01-31', calls: 2, recognised: 1, toConfirm: 1, unrecognised: 0 },
      { day: '2026-02-01', calls: 2, recognised: 1, toConfirm: 0, unrecognised: 1 },
    ]);
    expect([current.calls, current.recognised, current.toConfirm, current.unrecognised]).toEqual([4, 2, 1, 1]);
    expect(current.timeZone).toBe('UTC');
    expect(current.period).toEqual({ from: '2026-01-31', to: '2026-02-01' });
  });

  it('counts a call at 23:30 local on that local day, not on the UTC day', async () => {
    const tenant = await f.organisation('America/New_York');
    await f.seed(tenant, async (rows) => {
      const c = await rows.customer(at('2026-01-01T00:00:00Z'));
      await rows.call({ customerId: c, startedAt: at('2026-01-16T04:30:00Z') }); // 23:30 EST on 15 January
    });
    const { current } = await f.report(tenant, { from: '2026-01-15', to: '2026-01-16' });
    expect(current.callsPerDay.map((d) => [d.day, d.calls])).toEqual([
      ['2026-01-15', 1],
      ['2026-01-16', 0],
    ]);
  });

  it('gives the 23-hour spring-forward day in New York exactly its own calls', async () => {
    const tenant = await f.organisation('America/New_York');
    await f.seed(tenant, async (rows) => {
      const c = await rows.customer(at('2026-01-01T00:00:00Z'));
      await rows.call({ customerId: c, startedAt: at('2026-03-08T04:59:59.999Z') }); // 23:59:59.999 EST, 7 March
      await rows.call({ customerId: c, startedAt: at('2026-03-08T05:00:00.000Z') }); // 00:00 EST, 8 March
      await rows.call({ customerId: c, startedAt: at('2026-03-08T07:00:00.000Z') }); // 03:00 EDT (02:00 skipped)
      await rows.call({ customerId: c, startedAt: at('2026-03-09T03:59:59.999Z') }); // 23:59:59.999 EDT, 8 March
      await rows.call({ customerId: c, startedAt: at('2026-03-09T04:00:00.000Z') }); // 00:00 EDT, 9 March
    });
    const { current } = await f.report(tenant, { from: '2026-03-07', to: '2026-03-09' });
    expect(current.callsPerDay.map((d) => [d.day, d.calls])).toEqual([
      ['2026-03-07', 1],
      ['2026-03-08', 3],
      ['2026-03-09', 1],
    ]);
  });

  it('gives the 25-hour fall-back day in New York both of its 01:30s and its 23:30', async () => {
    const tenant = await f.organisation('America/New_York');
    await f.seed(tenant, async (rows) => {
      const c = await rows.customer(at('2026-01-01T00:00:00Z'));
      await rows.call({ customerId: c, startedAt: at('2026-11-01T03:59:59.999Z') }); // 23:59:59.999 EDT, 31 October
      await rows.call({ customerId: c, startedAt: at('2026-11-01T05:30:00.000Z') }); // 01:30 EDT
      await rows.call({ customerId: c, startedAt: at('2026-11-01T06:30:00.000Z') }); // 01:30 EST, the second one
      await rows.call({ customerId: c, startedAt: at('2026-11-02T04:30:00.000Z') }); // 23:30 EST, 1 November
      await rows.call({ customerId: c, startedAt: at('2026-11-02T05:00:00.000Z') }); // 00:00 EST, 2 November
    });
    const { current } = await f.report(tenant, { from: '2026-10-31', to: '2026-11-02' });
    expect(current.callsPerDay.map((d) => [d.day, d.calls])).toEqual([
      ['2026-10-31', 1],
      ['2026-11-01', 3],
      ['2026-11-02', 1],
    ]);
  });

  it('never counts another organisation’s or environment’s calls', async () => {
    const tenant = await f.organisation('UTC');
    const otherEnvironment = { ...tenant, environment: Environment.PROD };
    const otherOrganisation = await f.organisation('UTC');
    for (const t of [tenant, otherEnvironment, otherOrganisation]) {
      await f.seed(t, async (rows) => {
        const c = await rows.customer(at('2026-04-01T00:00:00Z'));
        await rows.call({ customerId: c, startedAt: at('2026-04-01T10:00:00Z'), endedAt: at('2026-04-01T10:01:00Z'), csat: 5, intent: 'refund' });
      });
    }
    const { current, environment } = await f.report(tenant, { from: '2026-04-01', to: '2026-04-01' });
    expect(environment).toBe('test');
    expect([current.calls, current.handleTime.calls, current.csat.responses, current.intents.topByVolume.length]).toEqual([1, 1, 1, 1]);
  });

  it('refuses a period that runs backwards, is longer than 366 days or is no date, as BAD_USER_INPUT', async () => {
    const tenant = await f.organisation('UTC');
    const refused = async (from: string, to: string, compare?: { from: string; to: string }) => {
      const error = await f.report(tenant, { from, to }, compare).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      return { code: (error as AppError).code, issues: (error as AppError).issues };
    };
    expect(await refused('2026-02-02', '2026-02-01')).toEqual({
      code: 'BAD_USER_INPUT',
      issues: [{ path: ['period', 'from'], message: 'from (2026-02-02) is after to (2026-02-01)' }],
    });
    expect((await refused('2025-01-01', '2026-01-02')).issues).toEqual([{ path: ['period', 'to'], message: 'a period covers at most 366 days' }]);
    expect((await refused('2026-02-30', '2026-03-01')).issues).toEqual([{ path: ['period', 'from'], message: 'from must be a calendar date, YYYY-MM-DD' }]);
    expect((await refused('2026-01-01', '2026-01-02', { from: '2026-01-05', to: '2026-01-01' })).issues?.[0]?.path).toEqual(['compareTo', 'from']);
    // 366 days (a leap year) is the longest period.
    expect((await f.report(tenant, { from: '2028-01-01', to: '2028-12-31' })).current.callsPerDay).toHaveLength(366);
  });
});
