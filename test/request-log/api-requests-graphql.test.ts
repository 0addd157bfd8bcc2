/** GraphQL `apiRequests`: admin keys read their own organisation and environment's log, filtered and paged, newest first. */
import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { logClient, type LogClient } from './request-log-fixture';

const ANI = '+14155550166';

const LIST = `query($filter: ApiRequestFilter, $first: Int, $after: String) {
  apiRequests(filter: $filter, first: $first, after: $after) {
    totalCount
    items { id at method route status latencyMs callId requestId keyId environment errorCode issues { path message } requestBody responseBody }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe.each(ENGINES)('apiRequests on %s', (engine) => {
  let t: TestApp;
  let client: LogClient;
  let admin: LogClient;

  beforeAll(async () => {
    t = await createTestApp(engine);
    client = await logClient(t);
    admin = await logClient(t, { organisation: client.organisation, role: ApiKeyRole.ADMIN });
    await client.post('/v1/calls/start', { call_id: 'gql-1', identity_hints: { ani: ANI } }).expect(200);
    await client.post('/v1/calls/start', { call_id: 'gql-2', identity_hints: 'nope' }).expect(400);
    await client.post('/v1/calls/end', { call_id: 'gql-1', intent: 'billing' }).expect(200);
    await client.post('/v1/calls/start', { call_id: 'gql-1', identity_hints: { ani: '+14155550199' } }).expect(409);
    await t.requestLog.flush();
  });
  afterAll(() => t.close());

  const list = async (variables: Record<string, unknown> = {}) => {
    const answer = await admin.graphql(LIST, variables);
    expect(answer.errors).toBeUndefined();
    return answer.data.apiRequests as { totalCount: number; items: Record<string, unknown>[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
  };

  it('lists the tenant’s entries newest first, with every field', async () => {
    const page = await list();
    expect(page.totalCount).toBe(4);
    expect(page.items.map((e) => [e.route, e.status])).toEqual([
      ['/v1/calls/start', 409],
      ['/v1/calls/end', 200],
      ['/v1/calls/start', 400],
      ['/v1/calls/start', 200],
    ]);
    expect(page.items[2]).toMatchObject({
      method: 'POST',
      callId: 'gql-2',
      keyId: client.keyId,
      environment: 'TEST',
      errorCode: 'BAD_USER_INPUT',
      issues: expect.arrayContaining([{ path: 'identity_hints', message: 'identity_hints must include ani, external_ids, or customer_ref' }]),
      requestBody: null,
      responseBody: null,
    });
    expect(page.items[3].errorCode).toBeNull();
    expect(page.items[3].issues).toEqual([]);
  });

  it('filters by exact status, status class, route, call id and time window', async () => {
    expect((await list({ filter: { status: '409' } })).totalCount).toBe(1);
    expect((await list({ filter: { status: '4xx' } })).items.map((e) => e.status)).toEqual([409, 400]);
    expect((await list({ filter: { status: '2XX', route: '/v1/calls/end' } })).items.map((e) => e.callId)).toEqual(['gql-1']);
    expect((await list({ filter: { callId: 'gql-1' } })).totalCount).toBe(3);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await list({ filter: { from: future } })).totalCount).toBe(0);
    expect((await list({ filter: { to: future, from: new Date(Date.now() - 600_000).toISOString() } })).totalCount).toBe(4);
  });

  it('pages with first and after', async () => {
    const first = await list({ first: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await list({ first: 3, after: first.pageInfo.endCursor });
    expect(rest.items.map((e) => e.status)).toEqual([200]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a status that is neither a code nor a class, as BAD_USER_INPUT', async () => {
    const answer = await admin.graphql(LIST, { filter: { status: 'bad' } });
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses ordinary keys with FORBIDDEN', async () => {
    const answer = await client.graphql(LIST);
    expect(answer.data?.apiRequests ?? null).toBeNull();
    expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('never shows another organisation’s or the other environment’s entries', async () => {
    const stranger = await logClient(t, { role: ApiKeyRole.ADMIN });
    const prodAdmin = await logClient(t, { organisation: client.organisation, environment: Environment.PROD, role: ApiKeyRole.ADMIN });
    expect((await stranger.graphql(LIST)).data.apiRequests.totalCount).toBe(0);
    expect((await prodAdmin.graphql(LIST)).data.apiRequests.totalCount).toBe(0);
    await prodAdmin.post('/v1/calls/start', { call_id: 'gql-prod', identity_hints: { ani: ANI } }).expect(200);
    await t.requestLog.flush();
    const prod = (await prodAdmin.graphql(LIST)).data.apiRequests;
    expect(prod.items.map((e: { callId: string; environment: string }) => [e.callId, e.environment])).toEqual([['gql-prod', 'PROD']]);
    expect((await list()).totalCount).toBe(4);
  });
});
