/** `metrics` through HTTP: calls recorded by the API, counted for admin keys only, one tenant at a time. */
import { ManualClock } from '../../src/shared/clock';
import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import { START_CALL } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const METRICS = `query Metrics($from: LocalDate!, $to: LocalDate!, $environment: Environment, $compareTo: PeriodInput) {
  metrics(from: $from, to: $to, environment: $environment, compareTo: $compareTo) {
    environment
    current {
      period { from to } timeZone calls recognised toConfirm unrecognised
      callsPerDay { day calls recognised toConfirm unrecognised }
      repeatCalls { calls repeated transfers contacts rate windowDays transferWindowMinutes }
      firstContactResolution { resolvedIntents resolvedFirstAttempt rate proxyRate }
      handleTime { calls averageSeconds }
      csat { variable responses average }
      intents { open abandoned topByVolume { name calls attempts } topByAttempts { name calls attempts } }
    }
    comparison { calls handleTime { averageSeconds } repeatCalls { rate } }
    roi { metric label better before after improvement }
  }
}`;

const END = `mutation End($input: EndCallInput!) { endCall(input: $input) { intentsUpdated } }`;
const MINUTE = 60_000;

describe.each(ENGINES)('metrics over GraphQL on %s', (engine) => {
  const clock = new ManualClock(new Date('2026-03-02T10:00:00.000Z'));
  let t: TestApp;
  let admin: GraphQLClient;
  let ordinary: GraphQLClient;
  let prodAdmin: GraphQLClient;
  let otherAdmin: GraphQLClient;
  const recommendations: string[] = [];

  /** A call that starts now and ends `minutes` later with the outcome; the clock stays at its end. */
  async function call(gql: GraphQLClient, callId: string, ani: string, minutes: number, outcome: object = {}): Promise<string> {
    const started = await gql.data(START_CALL, { input: { callId, hints: { ani } } });
    clock.advance(minutes * MINUTE);
    await gql.data(END, { input: { callId, ...outcome } });
    return started.startCall.identification.recommendation;
  }

  beforeAll(async () => {
    t = await createTestApp(engine, {}, clock);
    admin = await graphqlClient(t, { role: ApiKeyRole.ADMIN });
    const slug = (await admin.data('{ viewer { organisation { slug } } }')).viewer.organisation.slug;
    ordinary = await graphqlClient(t, { organisationSlug: slug });
    prodAdmin = await graphqlClient(t, { organisationSlug: slug, environment: Environment.PROD, role: ApiKeyRole.ADMIN });
    otherAdmin = await graphqlClient(t, { role: ApiKeyRole.ADMIN });

    // 2 March: a call of 5 minutes, and 5 minutes after its end a transfer leg of 2 minutes.
    recommendations.push(await call(admin, 'c1', '+14155550101', 5, { intent: 'refund', intentStatus: 'RESOLVED', variables: [{ name: 'csat', value: '5' }] }));
    clock.advance(5 * MINUTE);
    recommendations.push(await call(admin, 'c2', '+14155550101', 2, { variables: [{ name: 'csat', value: '3' }] }));
    // 3 March: the same caller again a day later (a repeat of c2), and a new caller whose score is not a number.
    clock.set(new Date('2026-03-03T10:12:00.000Z'));
    recommendations.push(await call(admin, 'c3', '+14155550101', 1, { intent: 'billing', intentStatus: 'OPEN' }));
    clock.set(new Date('2026-03-03T10:20:00.000Z'));
    recommendations.push(await call(admin, 'c4', '+14155550102', 10, { intent: 'billing', variables: [{ name: 'csat', value: 'great' }] }));
    // Other worlds: the same organisation's prod data, and another organisation.
    await call(prodAdmin, 'p1', '+14155550101', 30, { variables: [{ name: 'csat', value: '1' }] });
    await call(otherAdmin, 'o1', '+14155550101', 30, { intent: 'refund', intentStatus: 'RESOLVED' });
  });
  afterAll(() => t.close());

  it('gives an admin key the figures of its own organisation and environment', async () => {
    expect(new Set(recommendations)).toEqual(new Set(['ignore', 'confirm']));
    const { metrics } = await admin.data(METRICS, { from: '2026-03-02', to: '2026-03-03' });
    const count = (r: string) => recommendations.filter((x) => x === r).length;
    expect(metrics.environment).toBe('TEST');
    expect(metrics.current).toEqual({
      period: { from: '2026-03-02', to: '2026-03-03' },
      timeZone: 'UTC',
      calls: 4,
      recognised: count('reuse'),
      toConfirm: count('confirm'),
      unrecognised: count('ignore'),
      callsPerDay: [
        expect.objectContaining({ day: '2026-03-02', calls: 2 }),
        expect.objectContaining({ day: '2026-03-03', calls: 2 }),
      ],
      repeatCalls: { calls: 4, repeated: 1, transfers: 1, contacts: 3, rate: 1 / 3, windowDays: 7, transferWindowMinutes: 15 },
      firstContactResolution: { resolvedIntents: 1, resolvedFirstAttempt: 1, rate: 1, proxyRate: 1 - 1 / 3 },
      handleTime: { calls: 4, averageSeconds: (300 + 120 + 60 + 600) / 4 },
      csat: { variable: 'csat', responses: 2, average: 4 },
      intents: {
        // billing is open for both callers who raised it.
        open: 2,
        abandoned: 0,
        topByVolume: [
          { name: 'billing', calls: 2, attempts: 2 },
          { name: 'refund', calls: 1, attempts: 1 },
        ],
        topByAttempts: [
          { name: 'billing', calls: 2, attempts: 2 },
          { name: 'refund', calls: 1, attempts: 1 },
        ],
      },
    });
    expect(metrics.comparison).toBeNull();
    expect(metrics.roi).toEqual([]);
  });

  it('compares with an empty period as "not enough data" in every ROI row', async () => {
    const { metrics } = await admin.data(METRICS, { from: '2026-03-02', to: '2026-03-03', compareTo: { from: '2026-02-01', to: '2026-02-14' } });
    expect(metrics.comparison).toEqual({ calls: 0, handleTime: { averageSeconds: null }, repeatCalls: { rate: null } });
    expect(metrics.roi).toEqual([
      { metric: 'AVERAGE_HANDLE_TIME', label: 'Average handle time', better: 'LOWER', before: null, after: 270, improvement: null },
      { metric: 'FIRST_CONTACT_RESOLUTION', label: 'First-contact resolution', better: 'HIGHER', before: null, after: 1, improvement: null },
      { metric: 'CSAT', label: 'CSAT', better: 'HIGHER', before: null, after: 4, improvement: null },
      { metric: 'REPEAT_CALL_RATE', label: 'Repeat-call rate', better: 'LOWER', before: null, after: 1 / 3, improvement: null },
    ]);
  });

  it('counts only the prod calls for a prod admin key, and only its own for another organisation', async () => {
    const prod = (await prodAdmin.data(METRICS, { from: '2026-03-02', to: '2026-03-03', environment: 'PROD' })).metrics;
    expect([prod.environment, prod.current.calls, prod.current.csat.average, prod.current.intents.topByVolume]).toEqual(['PROD', 1, 1, []]);
    const other = (await otherAdmin.data(METRICS, { from: '2026-03-02', to: '2026-03-03' })).metrics;
    expect([other.current.calls, other.current.csat.responses, other.current.firstContactResolution.resolvedIntents]).toEqual([1, 0, 1]);
  });

  it('refuses an ordinary key, and an admin key asking for another environment, as FORBIDDEN', async () => {
    const byOrdinary = await ordinary.request(METRICS, { from: '2026-03-02', to: '2026-03-03' });
    expect(byOrdinary.body.data).toBeNull();
    expect(byOrdinary.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['FORBIDDEN', 'metrics needs an admin API key']]);
    const crossEnvironment = await admin.request(METRICS, { from: '2026-03-02', to: '2026-03-03', environment: 'PROD' });
    expect(crossEnvironment.body.data).toBeNull();
    expect(crossEnvironment.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses backwards, too long and impossible periods as BAD_USER_INPUT', async () => {
    const codes = async (variables: Record<string, unknown>) =>
      (await admin.request(METRICS, variables)).body.errors?.map((e) => e.extensions?.code);
    expect(await codes({ from: '2026-03-03', to: '2026-03-02' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ from: '2025-01-01', to: '2026-03-02' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ from: '2026-03-01', to: '2026-03-02', compareTo: { from: '2026-02-10', to: '2026-02-01' } })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ from: '2026-02-30', to: '2026-03-02' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ from: '0999-12-31', to: '1000-01-01' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ from: 20260301, to: '2026-03-02' })).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses more report fields in one operation than the query cost allows, before counting anything', async () => {
    const fields = Array.from({ length: 6 }, (_, i) => `m${i}: metrics(from: "2026-03-02", to: "2026-03-03") { current { calls } }`);
    const answer = await admin.request(`{ ${fields.join(' ')} }`);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answer.body.data).toBeUndefined();
  });
});
