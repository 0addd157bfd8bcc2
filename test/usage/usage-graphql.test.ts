/**
 * GraphQL `usage(month)` (issue 13): what the caller's organisation used in a UTC month, by environment and
 * by day, with the quota used and left; and startCall / endCall counted and refused over the quota like
 * the REST routes (one service behind both).
 */
import { ManualClock } from '../../src/shared/clock';
import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import { makeOrganisation } from '../support/factories';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import type { Engine } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { setQuota } from './usage-fixture';

const USAGE = `query ($month: String) { usage(month: $month) {
  month callsStarted callsEnded identified identifiedShare quota used left
  environments { environment callsStarted callsEnded identified identifiedShare days { day callsStarted callsEnded identified identifiedShare } }
} }`;
const START = `mutation ($input: StartCallInput!) { startCall(input: $input) { customer { ref } identification { recommendation } } }`;
const END = `mutation ($input: EndCallInput!) { endCall(input: $input) { intentsUpdated } }`;

const zeroDay = (day: string) => ({ day, callsStarted: 0, callsEnded: 0, identified: 0, identifiedShare: null });

describe.each<Engine>(['sqlite', 'postgresql'])('GraphQL usage on %s', (engine) => {
  const clock = new ManualClock();
  let t: TestApp;
  let organisationId: string;
  let testKey: GraphQLClient;
  let prodAdmin: GraphQLClient;

  beforeAll(async () => {
    t = await createTestApp(engine, {}, clock);
  });
  beforeEach(async () => {
    clock.set(new Date('2026-02-07T10:30:00.000Z'));
    const organisation = await makeOrganisation(t.keys, t.orm.em.fork());
    organisationId = organisation.id;
    testKey = await graphqlClient(t, { organisationSlug: organisation.slug });
    prodAdmin = await graphqlClient(t, { organisationSlug: organisation.slug, environment: Environment.PROD, role: ApiKeyRole.ADMIN });
  });
  afterAll(() => t.close());

  it('reports the month’s starts, ends, identified share, quota used and left, per environment and per day', async () => {
    await setQuota([t], organisationId, 10);
    const first = await testKey.data(START, { input: { callId: 'g-1', hints: { ani: '4155550161' } } });
    await testKey.data(END, { input: { callId: 'g-1', intent: 'billing' } });
    const again = await testKey.data(START, { input: { callId: 'g-2', hints: { customerRef: first.startCall.customer.ref } } });
    expect(again.startCall.identification.recommendation).toBe('reuse');
    await prodAdmin.data(START, { input: { callId: 'g-3', hints: { ani: '4155550162' } } });
    clock.set(new Date('2026-02-08T09:00:00.000Z'));
    await testKey.data(START, { input: { callId: 'g-4', hints: { ani: '4155550163' } } });

    const { usage } = await testKey.data(USAGE, { month: '2026-02' });
    expect({ ...usage, environments: undefined }).toEqual({
      month: '2026-02', callsStarted: 4, callsEnded: 1, identified: 1, identifiedShare: 0.25, quota: 10, used: 5, left: 5, environments: undefined,
    });
    const [test, prod] = usage.environments;
    expect(test).toMatchObject({ environment: 'TEST', callsStarted: 3, callsEnded: 1, identified: 1, identifiedShare: 0.3333 });
    expect(test.days).toEqual([
      ...['01', '02', '03', '04', '05', '06'].map((d) => zeroDay(`2026-02-${d}`)),
      { day: '2026-02-07', callsStarted: 2, callsEnded: 1, identified: 1, identifiedShare: 0.5 },
      { day: '2026-02-08', callsStarted: 1, callsEnded: 0, identified: 0, identifiedShare: 0 },
    ]);
    expect(prod).toMatchObject({ environment: 'PROD', callsStarted: 1, callsEnded: 0, identified: 0, identifiedShare: 0 });
    expect(prod.days).toHaveLength(8);
    // Any key of the organisation reads the same counts: the prod admin key too.
    expect((await prodAdmin.data(USAGE, { month: '2026-02' })).usage).toEqual(usage);
  });

  it('defaults to this UTC month, every day up to today, and reports an unlimited quota as null', async () => {
    const { usage } = await testKey.data(USAGE);
    expect({ ...usage, environments: undefined }).toEqual({
      month: '2026-02', callsStarted: 0, callsEnded: 0, identified: 0, identifiedShare: null, quota: null, used: 0, left: null, environments: undefined,
    });
    expect(usage.environments.map((e: { days: unknown[] }) => e.days.length)).toEqual([7, 7]);
  });

  it('lists every day of a past month and none of a future one', async () => {
    const past = (await testKey.data(USAGE, { month: '2024-02' })).usage;
    expect(past.environments[0].days.map((d: { day: string }) => d.day).slice(-2)).toEqual(['2024-02-28', '2024-02-29']);
    expect((await testKey.data(USAGE, { month: '2026-03' })).usage.environments[0].days).toEqual([]);
  });

  it('never reports another organisation’s counts', async () => {
    await testKey.data(START, { input: { callId: 'o-1', hints: { ani: '4155550171' } } });
    const stranger = await graphqlClient(t);
    expect((await stranger.data(USAGE)).usage).toMatchObject({ callsStarted: 0, used: 0 });
  });

  it.each(['2026-2', '2026-13', '2026-00', 'February', '2026-02-01', ''])('refuses the month %p with BAD_USER_INPUT naming the argument', async (month) => {
    const answer = await testKey.request(USAGE, { month });
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ path: ['month'], message: 'month must be a calendar month as YYYY-MM, e.g. 2026-02' }],
    });
  });

  it('answers startCall and endCall over the quota with QUOTA_EXCEEDED, keeping nothing', async () => {
    await setQuota([t], organisationId, 1);
    await testKey.data(START, { input: { callId: 'q-1', hints: { ani: '4155550181' } } });
    const ended = await testKey.request(END, { input: { callId: 'q-1', intent: 'billing' } });
    const started = await testKey.request(START, { input: { callId: 'q-2', hints: { ani: '4155550182' } } });
    for (const answer of [ended, started]) {
      expect(answer.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^The monthly quota of 1 /), extensions: { code: 'QUOTA_EXCEEDED' } });
    }
    const { usage } = await testKey.data(USAGE);
    expect([usage.callsStarted, usage.callsEnded, usage.used, usage.left]).toEqual([1, 0, 1, 0]);
  });
});
