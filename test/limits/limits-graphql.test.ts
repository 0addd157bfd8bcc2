/**
 * An organisation's limits in GraphQL (issue 13): `limits` for any key of the organisation, `setLimits` for
 * prod admin keys only; what it sets is what `limits` reads and what the requests are held to at once.
 */
import { ManualClock } from '../../src/shared/clock';
import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const LIMITS = `limits { requestsPerMinute { value unlimited source } windowSeconds monthlyQuota { value unlimited source } logBodies { value source } }`;
const READ = `{ ${LIMITS} }`;
const SET = `mutation($input: SetLimitsInput!) { setLimits(input: $input) { requestsPerMinute { value unlimited source } windowSeconds monthlyQuota { value unlimited source } logBodies { value source } } }`;

const DEFAULTS = {
  requestsPerMinute: { value: 600, unlimited: false, source: 'DEFAULT' },
  windowSeconds: 60,
  monthlyQuota: { value: 0, unlimited: true, source: 'DEFAULT' },
  logBodies: { value: false, source: 'DEFAULT' },
};

describe.each(ENGINES)('organisation limits in GraphQL on %s', (engine) => {
  let t: TestApp;
  let admin: GraphQLClient;
  let ordinary: GraphQLClient;
  const clock = new ManualClock(new Date('2026-03-02T09:00:00.000Z'));

  beforeAll(async () => {
    t = await createTestApp(engine, { RATE_LIMIT_PER_MINUTE: '600', MONTHLY_QUOTA: '0' }, clock);
  });
  beforeEach(async () => {
    admin = await graphqlClient(t, { role: ApiKeyRole.ADMIN, environment: Environment.PROD });
    const { viewer } = await admin.data('{ viewer { organisation { slug } } }');
    ordinary = await graphqlClient(t, { organisationSlug: viewer.organisation.slug, environment: Environment.TEST });
  });
  afterAll(() => t.close());

  const orgId = async () => (await admin.data('{ viewer { organisation { id } } }')).viewer.organisation.id as string;

  it('reads the defaults for an organisation with no limits of its own, with any key of it', async () => {
    expect((await ordinary.data(READ)).limits).toEqual(DEFAULTS);
    expect((await admin.data(READ)).limits).toEqual(DEFAULTS);
  });

  it('setLimits changes what limits reads and what the requests are held to, at once', async () => {
    const id = await orgId();
    await t.services.limits.of(t.orm.em.fork(), id); // cached before the change
    const set = (await admin.data(SET, { input: { requestsPerMinute: 120, monthlyQuota: 5000, logBodies: true } })).setLimits;
    const expected = {
      requestsPerMinute: { value: 120, unlimited: false, source: 'ORGANISATION' },
      windowSeconds: 60,
      monthlyQuota: { value: 5000, unlimited: false, source: 'ORGANISATION' },
      logBodies: { value: true, source: 'ORGANISATION' },
    };
    expect(set).toEqual(expected);
    expect((await ordinary.data(READ)).limits).toEqual(expected);
    expect(await t.services.limits.of(t.orm.em.fork(), id)).toEqual({ requestsPerMinute: 120, monthlyQuota: 5000, logBodies: true });
  });

  it('leaves out what is not given and resets to the default what is null', async () => {
    await admin.data(SET, { input: { requestsPerMinute: 120, monthlyQuota: 5000, logBodies: true } });
    const set = (await admin.data(SET, { input: { requestsPerMinute: null, logBodies: null } })).setLimits;
    expect(set).toEqual({ ...DEFAULTS, monthlyQuota: { value: 5000, unlimited: false, source: 'ORGANISATION' } });
  });

  it('refuses setLimits to an ordinary key and to a test admin key with FORBIDDEN, and changes nothing', async () => {
    const { viewer } = await admin.data('{ viewer { organisation { slug } } }');
    const testAdmin = await graphqlClient(t, { organisationSlug: viewer.organisation.slug, role: ApiKeyRole.ADMIN, environment: Environment.TEST });
    const ordinaryProd = await graphqlClient(t, { organisationSlug: viewer.organisation.slug, environment: Environment.PROD });
    for (const client of [ordinary, ordinaryProd, testAdmin]) {
      const answer = await client.request(SET, { input: { requestsPerMinute: 1 } });
      expect(answer.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await admin.data(READ)).limits).toEqual(DEFAULTS);
  });

  it('refuses values out of range with BAD_USER_INPUT naming each, and changes nothing', async () => {
    const answer = await admin.request(SET, { input: { requestsPerMinute: 0, monthlyQuota: -1, logBodies: true } });
    expect(answer.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const text = JSON.stringify(answer.body.errors?.[0].extensions);
    expect(text).toContain('requestsPerMinute');
    expect(text).toContain('monthlyQuota');
    const tooMany = await admin.request(SET, { input: { requestsPerMinute: 10_000_001 } });
    expect(tooMany.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await admin.data(READ)).limits).toEqual(DEFAULTS);
  });

  it('keeps each organisation’s limits to itself', async () => {
    const stranger = await graphqlClient(t, { role: ApiKeyRole.ADMIN, environment: Environment.PROD });
    await stranger.data(SET, { input: { requestsPerMinute: 7 } });
    expect((await admin.data(READ)).limits).toEqual(DEFAULTS);
  });
});
