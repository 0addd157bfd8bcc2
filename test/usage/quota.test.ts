/**
 * The monthly quota and the usage counters (issue 13): every successful first start and end counts one
 * for its organisation (test and prod keys alike), in the call's own transaction; replays, refusals and
 * failures count nothing; over the quota a request is answered 402 and nothing of it is kept; and the
 * quota is exact under 50 concurrent requests at its edge, on both engines and across two instances.
 */
import { ManualClock } from '../../src/shared/clock';
import { Environment } from '../../src/tenancy/environment';
import { databaseState } from '../support/database-state';
import type { Engine } from '../support/scratch-database';
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';
import { dayRows, setQuota, setUsed, usageOrg, usedIn, type Answer, type UsageOrg } from './usage-fixture';

const MONTH = '2026-02';
const DAY = '2026-02-07';
const start = (callId: string, ani: string) => ({ call_id: callId, identity_hints: { ani } });
const statuses = (answers: Answer[]) => answers.map((a) => a.status).sort((a, b) => a - b);

/** Fifty distinct new calls' starts, alternating test and prod keys (one quota per organisation). */
function fiftyStarts(orgs: UsageOrg[], prefix: string): Promise<Answer[]> {
  return Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      orgs[i % orgs.length]!.post('/v1/calls/start', start(`${prefix}-${i}`, `41555502${String(i).padStart(2, '0')}`), i % 2 ? Environment.PROD : Environment.TEST),
    ),
  );
}

/** How the 50 answers split: k admitted, the rest 402 in the contract's error shape. */
function expectRemainderAdmitted(answers: Answer[], k: number): void {
  expect(statuses(answers)).toEqual([...Array(k).fill(200), ...Array(50 - k).fill(402)]);
  for (const refused of answers.filter((a) => a.status === 402)) {
    expect(refused.body).toEqual({ error: 'Payment Required', message: expect.stringMatching(/monthly quota of 1000 .*2026-02/) });
  }
}

async function callRows(t: TestApp, organisationId: string, prefix: string): Promise<{ started: number; ended: number }> {
  const rows = (await t.orm.em.getConnection().execute('select ended_at from calls where organisation_id = ? and call_id like ?', [organisationId, `${prefix}-%`])) as {
    ended_at: unknown;
  }[];
  return { started: rows.length, ended: rows.filter((r) => r.ended_at !== null).length };
}

describe.each<Engine>(['sqlite', 'postgresql'])('the monthly quota and usage counters on %s', (engine) => {
  const clock = new ManualClock(new Date(`${DAY}T10:30:00.000Z`));
  let t: TestApp;
  let org: UsageOrg;

  beforeAll(async () => {
    t = await createTestApp(engine, {}, clock);
  });
  beforeEach(async () => {
    clock.set(new Date(`${DAY}T10:30:00.000Z`));
    org = await usageOrg(t);
  });
  afterEach(() => org.close());
  afterAll(() => t.close());

  it('counts each successful start and end once for the organisation, test and prod keys alike, starts recognised with reuse as identified', async () => {
    const first = await org.post('/v1/calls/start', start('u-1', '4155550101'));
    expect((await org.post('/v1/calls/end', { call_id: 'u-1', variables: { name: 'Ada' } })).status).toBe(200);
    // Recognised by its ref: `reuse`, counted as identified; the ANI-only repeat scores `confirm`, not identified.
    expect((await org.post('/v1/calls/start', { call_id: 'u-2', identity_hints: { customer_ref: first.body.customer_ref } })).body.identity).toMatchObject({ recommendation: 'reuse' });
    expect((await org.post('/v1/calls/start', start('u-3', '4155550101'))).body.identity).toMatchObject({ recommendation: 'confirm' });
    expect((await org.post('/v1/calls/start', start('u-4', '4155550102'), Environment.PROD)).status).toBe(200);
    // A standalone end (no start) is one request: one end.
    expect((await org.post('/v1/calls/end', { call_id: 'u-5', identity_hints: { ani: '4155550103' } }, Environment.PROD)).status).toBe(200);

    expect(await usedIn(t.orm, org.organisationId, MONTH)).toBe(6);
    expect(await dayRows(t.orm, org.organisationId)).toEqual([`prod ${DAY} 1 1 0`, `test ${DAY} 3 1 1`]);
  });

  it('counts nothing for replayed starts and ends, 400s and 409s', async () => {
    await org.post('/v1/calls/start', start('r-1', '4155550111'));
    await org.post('/v1/calls/end', { call_id: 'r-1', intent: 'billing' });
    const answers = [
      await org.post('/v1/calls/start', start('r-1', '4155550111')),
      await org.post('/v1/calls/end', { call_id: 'r-1', intent: 'billing' }),
      await org.post('/v1/calls/start', start('r-1', '4155550112')),
      await org.post('/v1/calls/end', { call_id: 'r-1', intent: 'refund' }),
      await org.post('/v1/calls/start', { call_id: 'r-2' }),
      await org.post('/v1/calls/end', { call_id: 'r-3' }),
      await org.post('/v1/calls/end', { call_id: 'r-4', identity_hints: { ani: '4155550113' }, variables: { bad: [1] } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 409, 409, 400, 400, 400]);
    expect(await usedIn(t.orm, org.organisationId, MONTH)).toBe(2);
    expect(await dayRows(t.orm, org.organisationId)).toEqual([`test ${DAY} 1 1 0`]);
  });

  it('counts nothing for the replayed start of an erased call (nothing is stored for it)', async () => {
    const first = await org.post('/v1/calls/start', start('x-1', '4155550121'));
    expect((await org.del(`/v1/customers/${first.body.customer_ref as string}`)).status).toBe(200);
    expect((await org.post('/v1/calls/start', start('x-1', '4155550121'))).status).toBe(200);
    expect(await usedIn(t.orm, org.organisationId, MONTH)).toBe(1);
  });

  it('answers 402 in the error shape once the quota is used up, keeps nothing of the start, and still replays earlier calls', async () => {
    await setQuota([t], org.organisationId, 2);
    await org.post('/v1/calls/start', start('q-1', '4155550131'));
    await org.post('/v1/calls/start', start('q-2', '4155550132'), Environment.PROD);
    const before = await databaseState(t.orm);

    const refused = await org.post('/v1/calls/start', start('q-3', '4155550133'));
    expect(refused).toEqual({
      status: 402,
      body: { error: 'Payment Required', message: 'The monthly quota of 2 successful starts and ends is used up for 2026-02 (UTC); it renews on 2026-03-01' },
    });
    expect(await databaseState(t.orm)).toEqual(before);
    expect(await usedIn(t.orm, org.organisationId, MONTH)).toBe(2);
    expect(await dayRows(t.orm, org.organisationId)).toEqual([`prod ${DAY} 1 0 0`, `test ${DAY} 1 0 0`]);
    expect((await org.post('/v1/calls/start', start('q-1', '4155550131'))).status).toBe(200);
  });

  it('leaves a call un-ended when its end is over the quota; the same end succeeds once the quota allows it', async () => {
    await setQuota([t], org.organisationId, 1);
    await org.post('/v1/calls/start', start('e-1', '4155550141'));
    expect((await org.post('/v1/calls/end', { call_id: 'e-1', variables: { name: 'Bo' } })).status).toBe(402);
    expect(await callRows(t, org.organisationId, 'e')).toEqual({ started: 1, ended: 0 });

    await setQuota([t], org.organisationId, 2);
    expect((await org.post('/v1/calls/end', { call_id: 'e-1', variables: { name: 'Bo' } })).status).toBe(200);
    expect(await callRows(t, org.organisationId, 'e')).toEqual({ started: 1, ended: 1 });
  });

  it('starts a new count each UTC month, which renews the quota', async () => {
    await setQuota([t], org.organisationId, 1);
    clock.set(new Date('2026-02-28T23:59:59.000Z'));
    expect((await org.post('/v1/calls/start', start('m-1', '4155550151'))).status).toBe(200);
    expect((await org.post('/v1/calls/start', start('m-2', '4155550152'))).status).toBe(402);
    clock.set(new Date('2026-03-01T00:00:00.000Z'));
    expect((await org.post('/v1/calls/start', start('m-2', '4155550152'))).status).toBe(200);
    expect([await usedIn(t.orm, org.organisationId, '2026-02'), await usedIn(t.orm, org.organisationId, '2026-03')]).toEqual([1, 1]);
    expect(await dayRows(t.orm, org.organisationId)).toEqual(['test 2026-02-28 1 0 0', 'test 2026-03-01 1 0 0']);
  });

  it('admits exactly the remainder of the quota among 50 concurrent starts at its edge', async () => {
    await setQuota([t], org.organisationId, 1000);
    await setUsed(t.orm, org.organisationId, MONTH, 990);
    expectRemainderAdmitted(await fiftyStarts([org], 'c'), 10);
    expect(await usedIn(t.orm, org.organisationId, MONTH)).toBe(1000);
    expect(await callRows(t, org.organisationId, 'c')).toEqual({ started: 10, ended: 0 });
  });

  it('admits exactly the remainder of the quota among 50 concurrent ends at its edge', async () => {
    await fiftyStarts([org], 'd');
    await setQuota([t], org.organisationId, 1000);
    await setUsed(t.orm, org.organisationId, MONTH, 993);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => org.post('/v1/calls/end', { call_id: `d-${i}`, intent: 'billing' }, i % 2 ? Environment.PROD : Environment.TEST)),
    );
    expectRemainderAdmitted(answers, 7);
    expect(await callRows(t, org.organisationId, 'd')).toEqual({ started: 50, ended: 7 });
  });
});

describe('the monthly quota on two instances over one postgresql, MONTHLY_QUOTA=3', () => {
  const clock = new ManualClock(new Date(`${DAY}T10:30:00.000Z`));
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await createTestApp('postgresql', { MONTHLY_QUOTA: '3' }, clock);
    b = await createTestAppOn(a.database, { MONTHLY_QUOTA: '3' }, clock);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('applies MONTHLY_QUOTA to an organisation without a quota of its own, and an own quota of 0 means unlimited', async () => {
    const byDefault = await usageOrg(a);
    const unlimited = await usageOrg(a);
    try {
      await setQuota([a, b], unlimited.organisationId, 0);
      const four = (org: UsageOrg) => [1, 2, 3, 4].reduce<Promise<number[]>>(
        async (done, i) => [...(await done), (await org.post('/v1/calls/start', start(`dq-${i}`, `415555030${i}`))).status],
        Promise.resolve([]),
      );
      expect(await four(byDefault)).toEqual([200, 200, 200, 402]);
      expect(await four(unlimited)).toEqual([200, 200, 200, 200]);
    } finally {
      await unlimited.close();
      await byDefault.close();
    }
  });

  it('admits exactly the remainder among 50 concurrent starts split between the instances', async () => {
    const onA = await usageOrg(a);
    const onB = await onA.on(b);
    try {
      await setQuota([a, b], onA.organisationId, 1000);
      await setUsed(a.orm, onA.organisationId, MONTH, 988);
      expectRemainderAdmitted(await fiftyStarts([onA, onB], 'two'), 12);
      expect(await usedIn(a.orm, onA.organisationId, MONTH)).toBe(1000);
      expect(await callRows(a, onA.organisationId, 'two')).toEqual({ started: 12, ended: 0 });
    } finally {
      await onB.close();
      await onA.close();
    }
  });
});
