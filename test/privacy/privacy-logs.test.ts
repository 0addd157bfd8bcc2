/** What the privacy routes log: the route pattern and outcome, never the ref, a number or a value. */
import request from 'supertest';

import { createLoggedApp, type LoggedApp } from '../support/logged-app';

const ANI = '+14155550199';
const VALUE = 'Private Value 42';

describe('privacy routes in the log', () => {
  let logged: LoggedApp;

  beforeAll(async () => {
    logged = await createLoggedApp();
  });
  afterAll(() => logged.close());

  it('names /v1/customers/:ref and never the ref, the number or a variable value, on success or refusal', async () => {
    const { app } = logged.built;
    const auth = { Authorization: `Bearer ${logged.secret}` };
    const start = await request(app).post('/v1/calls/start').set(auth).send({ call_id: 'log-1', identity_hints: { ani: ANI } });
    const ref = start.body.customer_ref as string;
    await request(app).post('/v1/calls/end').set(auth).send({ call_id: 'log-1', customer_ref: ref, variables: { name: VALUE } });
    logged.lines.length = 0;

    expect((await request(app).get(`/v1/customers/${ref}`).set(auth)).status).toBe(200);
    expect((await request(app).delete(`/v1/customers/${ref}`).set(auth)).status).toBe(200);
    expect((await request(app).delete(`/v1/customers/${ref}`).set(auth)).status).toBe(404);
    expect((await request(app).get(`/v1/customers/${ref}`)).status).toBe(401);
    expect((await request(app).put(`/v1/customers/${ref}`).set(auth)).status).toBe(405);
    const gql = await request(app).post('/graphql').set(auth).send({ query: 'mutation($ref: ID!) { eraseCustomer(ref: $ref) { customerRef } }', variables: { ref } });
    expect(gql.body.errors[0].extensions.code).toBe('NOT_FOUND');

    const routes = logged.lines.map((line) => (JSON.parse(line) as { route?: string }).route).filter(Boolean);
    expect(routes).toEqual(['/v1/customers/:ref', '/v1/customers/:ref', '/v1/customers/:ref', '/v1/customers/:ref', '/v1/customers/:ref', '/graphql']);
    const text = logged.lines.join('\n');
    for (const secret of [ref, ANI, '4155550199', VALUE, logged.secret]) expect(text).not.toContain(secret);
  });
});
