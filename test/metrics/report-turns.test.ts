/**
 * A report does not hold the event loop: on SQLite, whose driver runs each statement synchronously, the
 * loop turns before every statement (so call starts and other requests run between them) and a year is
 * read a month at a time. PostgreSQL's driver waits for the server without holding the loop: there the
 * report reads each figure of a period in one statement, all in one read-only snapshot.
 */
import type { Tenant } from '../../src/tenancy/environment';
import { createMetricsFixture, type MetricsFixture } from '../support/metrics-fixture';
import { countQueries } from '../support/query-counter';

const YEAR = { from: '2028-01-01', to: '2028-12-31' };
const YEAR_BEFORE = { from: '2027-01-01', to: '2027-12-31' };

/** A tenant with a call on the first of every month of both years, so every statement has rows to count. */
async function monthlyCalls(f: MetricsFixture): Promise<Tenant> {
  const tenant = await f.organisation('America/New_York');
  await f.seed(tenant, async (rows) => {
    const customerId = await rows.customer(new Date('2026-12-01T00:00:00Z'));
    for (const year of [2027, 2028]) {
      for (let month = 0; month < 12; month++) {
        const startedAt = new Date(Date.UTC(year, month, 1, 15));
        await rows.call({ customerId, startedAt, endedAt: new Date(startedAt.getTime() + 90_000), intent: 'billing', csat: 4 });
      }
    }
  });
  return tenant;
}

// SQLite only: the behaviour under test is how its synchronous driver shares the event loop.
describe('a metrics report on sqlite', () => {
  let f: MetricsFixture;
  let tenant: Tenant;
  beforeAll(async () => {
    f = await createMetricsFixture('sqlite');
    tenant = await monthlyCalls(f);
  });
  afterAll(() => f.close());

  it('lets the event loop turn before each of its statements, for a year against a year', async () => {
    const counter = countQueries(f.orm);
    // A callback queued before the report starts, like another request's work: each time it gets to run
    // it notes how many statements the report has sent so far, and queues itself again.
    const seenAtTurns: number[] = [];
    let running = true;
    const turn = () => {
      seenAtTurns.push(counter.statements.length);
      if (running) setImmediate(turn);
    };
    setImmediate(turn);
    const report = await f.report(tenant, YEAR, YEAR_BEFORE);
    running = false;
    const sent = counter.statements.length;
    counter.stop();

    expect(report.current.calls + report.comparison!.calls).toBe(24);
    // Statements run in each synchronous stretch: between two turns, and after the last one.
    const stretches = [...seenAtTurns, sent].map((seen, i, all) => seen - (all[i - 1] ?? 0));
    expect(Math.max(...stretches)).toBe(1);
    expect(sent).toBeGreaterThan(24);
  });

  it('reads each year in twelve pieces of at most 31 local days', async () => {
    const counter = countQueries(f.orm);
    await f.report(tenant, YEAR, YEAR_BEFORE);
    counter.stop();
    // The per-day statement lists its days as VALUES (i, lo, hi).
    const daysPerStatement = counter.statements.filter((s) => s.trimStart().startsWith('with days')).map((s) => s.match(/\(\d+, \?, \?\)/g)!.length);
    expect(daysPerStatement).toEqual([31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 25, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 24]);
  });
});

describe('a metrics report on postgresql', () => {
  let f: MetricsFixture;
  let tenant: Tenant;
  beforeAll(async () => {
    f = await createMetricsFixture('postgresql');
    tenant = await monthlyCalls(f);
  });
  afterAll(() => f.close());

  it('reads each figure of a year in one statement, all in one read-only repeatable-read transaction', async () => {
    const counter = countQueries(f.orm);
    const report = await f.report(tenant, YEAR, YEAR_BEFORE);
    const statements = counter.statements.map((s) => s.replace(/\s+/g, ' ').trim().toLowerCase());
    counter.stop();
    expect(report.current.calls + report.comparison!.calls).toBe(24);
    expect(statements[0]).toMatch(/^begin/);
    expect(statements.slice(1, 3)).toEqual(['set transaction isolation level repeatable read, read only', 'set local jit = off']);
    expect(statements.at(-1)).toBe('commit');
    // The time zone, then per period: calls per day, intent counts, calls and attempts by name, repeat counts.
    expect(statements.slice(3, -1)).toHaveLength(1 + 2 * 5);
  });
});
