/** Every 401 case on both transports (contract §1, §7), the challenges offered, and the ways a key may be sent. */
import request from 'supertest';

import { BASIC_FROM_ANOTHER_SITE } from '../../src/http/authenticate';
import { MALFORMED_API_KEY, UNSUPPORTED_SCHEME } from '../../src/tenancy/api-key.service';
import { Environment } from '../../src/tenancy/environment';
import { makeKey, makeOrganisation } from '../support/factories';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const VIEWER = { query: '{ viewer { environment organisation { slug } } }' };
const UNKNOWN_KEY = `sk_test_${'Z'.repeat(43)}`;
const BOTH_CHALLENGES = 'Bearer realm="caller-memory", Basic realm="caller-memory", charset="UTF-8"';

describe.each(ENGINES)('authentication on %s', (engine) => {
  let t: TestApp;
  let key: string;
  let revokedKey: string;
  let prodKey: string;

  beforeAll(async () => {
    // Every refusal here counts against the failed-authentication throttle: keep it out of the way.
    t = await createTestApp(engine, { AUTH_FAILURE_LIMIT: '1000' });
    const em = t.orm.em.fork();
    const org = await makeOrganisation(t.keys, em, { slug: 'acme' });
    key = (await makeKey(t.keys, em, org)).secret;
    prodKey = (await makeKey(t.keys, em, org, { environment: Environment.PROD })).secret;
    const revoked = await makeKey(t.keys, em, org);
    revokedKey = revoked.secret;
    await t.keys.revokeKey(em, revoked.apiKey.id);
  });
  afterAll(() => t.close());

  const cases: [string, () => Record<string, string>, string][] = [
    ['a missing key', () => ({}), 'Missing API key: send Authorization: Bearer <key>'],
    ['a malformed key', () => ({ Authorization: 'Bearer not-a-key' }), MALFORMED_API_KEY],
    ['a malformed key in X-Api-Key', () => ({ 'X-Api-Key': 'not-a-key' }), MALFORMED_API_KEY],
    ['an unsupported scheme', () => ({ Authorization: `Digest ${key}` }), UNSUPPORTED_SCHEME],
    ['a bare value that is no key', () => ({ Authorization: 'not-a-key' }), UNSUPPORTED_SCHEME],
    ['a bare key with a wrong checksum', () => ({ Authorization: `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}` }), 'Invalid API key: its checksum does not match (was it copied whole?)'],
    ['an unknown key', () => ({ Authorization: `Bearer ${UNKNOWN_KEY}` }), 'Invalid or revoked API key'],
    ['a revoked key', () => ({ Authorization: `Bearer ${revokedKey}` }), 'Invalid or revoked API key'],
  ];

  describe('REST /v1', () => {
    it.each(cases)('answers 401 in the error shape for %s', async (_case, headers, message) => {
      const res = await request(t.app).post('/v1/calls/start').set(headers()).send({ call_id: 'c1' });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BOTH_CHALLENGES);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toEqual({ error: 'Unauthorized', message });
    });

    it.each([
      ['Authorization: Bearer', () => ({ Authorization: `Bearer ${key}` })],
      ['X-Api-Key', () => ({ 'X-Api-Key': key })],
      ['Basic with the key as user name', () => ({ Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` })],
      ['Basic with the key as password', () => ({ Authorization: `Basic ${Buffer.from(`ac1:${key}`).toString('base64')}` })],
      ['the bare key as the whole Authorization value', () => ({ Authorization: key })],
      ['the bare key with spaces around it', () => ({ Authorization: `  ${key} ` })],
    ])('lets a valid key through with %s (then the route decides)', async (_case, headers) => {
      const res = await request(t.app).get('/v1/no-such-route').set(headers());
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Not Found', message: 'No route for GET /v1/no-such-route' });
    });
  });

  describe.each(['/v1/calls/start', '/graphql'])('the challenges on %s', (path) => {
    it('offers Bearer and Basic to a client that sent no key, so Basic-only clients send theirs', async () => {
      const res = await request(t.app).post(path).send({});
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BOTH_CHALLENGES);
    });

    it.each(['cors', 'same-origin', 'no-cors'])('offers Bearer alone to a script in a browser page (Sec-Fetch-Mode: %s)', async (mode) => {
      const res = await request(t.app).post(path).set('Sec-Fetch-Mode', mode).set('Authorization', 'Bearer not-a-key').send({});
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="caller-memory"');
      expect(res.body).toMatchObject({ [path === '/graphql' ? 'errors' : 'message']: expect.anything() });
    });

    it.each([
      ['a navigation (Sec-Fetch-Mode: navigate)', { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Dest': 'document' }],
      ['a subresource (Sec-Fetch-Dest: image alone)', { 'Sec-Fetch-Dest': 'image' }],
    ])('offers Bearer alone to %s, so no browser asks for a key it would then re-send to other sites', async (_case, headers) => {
      const res = await request(t.app).post(path).set(headers).send({});
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="caller-memory"');
    });

    it('offers both to a client without fetch metadata whatever it accepts (Java sends Accept: text/html by default)', async () => {
      const res = await request(t.app).post(path).set('Accept', 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2').send({});
      expect(res.headers['www-authenticate']).toBe(BOTH_CHALLENGES);
    });
  });

  describe('Basic credentials a browser attached to another site\'s request', () => {
    const basic = () => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
    // What Chromium sends with a form another site posts to us, once Basic credentials for us are cached.
    const crossSiteForm = (site: string) => ({
      Authorization: basic(),
      'Sec-Fetch-Site': site,
      'Sec-Fetch-Mode': 'navigate',
      'Sec-Fetch-Dest': 'document',
      Origin: 'http://elsewhere.example',
    });

    it.each(['cross-site', 'same-site'])('refuses a form posted to /v1/calls/end from a %s page and changes nothing', async (site) => {
      const start = await request(t.app).post('/v1/calls/start').set('Authorization', `Bearer ${key}`).send({ call_id: `csrf-${site}`, identity_hints: { ani: '4155550177' } });
      expect(start.status).toBe(200);
      const res = await request(t.app).post('/v1/calls/end').set(crossSiteForm(site)).type('form').send(`call_id=csrf-${site}&intent=refund&status=open`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="caller-memory"');
      expect(res.body).toEqual({ error: 'Unauthorized', message: BASIC_FROM_ANOTHER_SITE });
      const call = await request(t.app)
        .post('/graphql')
        .set('Authorization', `Bearer ${key}`)
        .send({ query: 'query($id: ID!) { call(callId: $id) { endedAt intent } }', variables: { id: `csrf-${site}` } });
      expect(call.body).toEqual({ data: { call: { endedAt: null, intent: null } } });
    });

    it('refuses a cross-site GraphQL request carrying Basic credentials', async () => {
      const res = await request(t.app).get('/graphql').query({ query: '{ viewer { environment } }' }).set({ ...crossSiteForm('cross-site'), 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'image' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ message: BASIC_FROM_ANOTHER_SITE, extensions: { code: 'UNAUTHENTICATED' } }] });
    });

    it('refuses a form an older browser (no fetch metadata) posts from another origin', async () => {
      const res = await request(t.app)
        .post('/v1/calls/end')
        .set({ Authorization: basic(), Origin: 'http://elsewhere.example' })
        .type('form')
        .send('call_id=csrf-old-browser&intent=refund&status=open&ani=4155550178');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'Unauthorized', message: BASIC_FROM_ANOTHER_SITE });
    });

    it('takes Basic credentials on a same-origin request that carries its own Origin (the API reference page)', async () => {
      const res = await request(t.app).post('/graphql').set({ Authorization: basic(), 'Sec-Fetch-Site': 'same-origin', Origin: 'http://127.0.0.1' }).set('Host', '127.0.0.1').send(VIEWER);
      expect(res.status).toBe(200);
    });

    it.each(['same-origin', 'none'])('takes Basic credentials on a request the browser says is %s', async (site) => {
      const res = await request(t.app).post('/graphql').set({ Authorization: basic(), 'Sec-Fetch-Site': site }).send(VIEWER);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { viewer: { environment: 'TEST', organisation: { slug: 'acme' } } } });
    });

    it('takes the key as Bearer or X-Api-Key from a page of another site (CORS clients)', async () => {
      for (const headers of [{ Authorization: `Bearer ${key}` }, { 'X-Api-Key': key }]) {
        const res = await request(t.app).post('/graphql').set({ ...headers, 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'cors' }).send(VIEWER);
        expect(res.status).toBe(200);
      }
    });
  });

  describe('GraphQL /graphql', () => {
    it.each(cases)('answers UNAUTHENTICATED with status 401 for %s', async (_case, headers, message) => {
      const res = await request(t.app).post('/graphql').set(headers()).send(VIEWER);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BOTH_CHALLENGES);
      expect(res.body).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
    });

    it('takes the bare key as the whole Authorization value', async () => {
      const res = await request(t.app).post('/graphql').set('Authorization', key).send(VIEWER);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { viewer: { environment: 'TEST', organisation: { slug: 'acme' } } } });
    });

    it('resolves the key to its organisation and environment', async () => {
      const test = await request(t.app).post('/graphql').set('Authorization', `Bearer ${key}`).send(VIEWER);
      expect(test.status).toBe(200);
      expect(test.body).toEqual({ data: { viewer: { environment: 'TEST', organisation: { slug: 'acme' } } } });

      const prod = await request(t.app).post('/graphql').set('X-Api-Key', prodKey).send(VIEWER);
      expect(prod.body).toEqual({ data: { viewer: { environment: 'PROD', organisation: { slug: 'acme' } } } });
    });

    it('fails a key revoked while the service runs on the very next request', async () => {
      const em = t.orm.em.fork();
      const org = await t.keys.organisation(em, 'acme');
      const { apiKey, secret } = await makeKey(t.keys, em, org);
      const ok = await request(t.app).post('/graphql').set('Authorization', `Bearer ${secret}`).send(VIEWER);
      expect(ok.status).toBe(200);

      await t.keys.revokeKey(t.orm.em.fork(), apiKey.id);

      const after = await request(t.app).post('/graphql').set('Authorization', `Bearer ${secret}`).send(VIEWER);
      expect(after.status).toBe(401);
    });
  });
});
