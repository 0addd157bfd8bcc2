/**
 * The dashboard's POST forms under attack: CSRF (a missing or foreign token, another site's Origin or
 * Sec-Fetch-Site) is refused with a clear 403 that changes nothing; wrong keys are throttled with the API's
 * failed-authentication throttle; hostile bodies and methods get a clear 4xx page, never a 500.
 */
import { gzipSync } from 'node:zlib';

import { DashboardSession } from '../../src/dashboard/dashboard-session.entity';
import { ManualClock } from '../../src/shared/clock';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';
import { DashboardBrowser, makeKeys, setCookie } from './dashboard-client';

describe.each(ENGINES)('dashboard forms on %s', (engine) => {
  let t: TestApp;
  let keys: Awaited<ReturnType<typeof makeKeys>>;
  const browser = () => new DashboardBrowser(t.app);
  const sessions = () => t.orm.em.fork().count(DashboardSession, {});

  beforeAll(async () => {
    t = await createTestApp(engine, { BODY_LIMIT_BYTES: '4096' });
    keys = await makeKeys(t.keys, t.orm.em.fork());
  });
  afterAll(() => t.close());

  describe('CSRF on the sign-in form', () => {
    const cases: [string, (b: DashboardBrowser, csrf: string) => Promise<import('supertest').Response>][] = [
      ['no token', (b) => b.post('/dashboard/sign-in', { api_key: keys.admin.secret })],
      ['a token of another form', async (b) => b.post('/dashboard/sign-in', { api_key: keys.admin.secret, csrf: await browser().signInToken() })],
      ['no nonce cookie', async (b, csrf) => {
        b.cookies.delete('cm_sign_in');
        return b.post('/dashboard/sign-in', { api_key: keys.admin.secret, csrf });
      }],
      ['another site’s Origin', (b, csrf) => b.post('/dashboard/sign-in', { api_key: keys.admin.secret, csrf }, { Origin: 'https://evil.example' })],
      ['Origin: null from another site', (b, csrf) => b.post('/dashboard/sign-in', { api_key: keys.admin.secret, csrf }, { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' })],
      ['an Origin that is no URL', (b, csrf) => b.post('/dashboard/sign-in', { api_key: keys.admin.secret, csrf }, { Origin: 'not a url' })],
      ['Sec-Fetch-Site: cross-site', (b, csrf) => b.post('/dashboard/sign-in', { api_key: keys.admin.secret, csrf }, { 'Sec-Fetch-Site': 'cross-site' })],
      ['Sec-Fetch-Site: same-site', (b, csrf) => b.post('/dashboard/sign-in', { api_key: keys.admin.secret, csrf }, { 'Sec-Fetch-Site': 'same-site' })],
    ];
    it.each(cases)('refuses a sign-in with %s with a 403 form and starts no session', async (_name, send) => {
      const b = browser();
      const csrf = await b.signInToken();
      const before = await sessions();
      const res = await send(b, csrf);
      expect(res.status).toBe(403);
      expect(res.text).toContain('This sign-in form could not be verified');
      expect(res.text).toContain('Nothing was changed');
      expect(setCookie(res, 'cm_session')).toBeUndefined();
      expect(await sessions()).toBe(before);
    });

    it('accepts a sign-in from the page itself (same Origin, Sec-Fetch-Site: same-origin)', async () => {
      const b = browser();
      const csrf = await b.signInToken();
      const res = await b.post('/dashboard/sign-in', { api_key: keys.admin.secret, csrf }, { Origin: 'http://dash.example:8080', Host: 'dash.example:8080', 'Sec-Fetch-Site': 'same-origin' });
      expect(res.status).toBe(303);
    });

    it('accepts `Origin: null` from the page itself: what a browser sends under the pages’ Referrer-Policy: no-referrer', async () => {
      const b = browser();
      const csrf = await b.signInToken();
      const res = await b.post('/dashboard/sign-in', { api_key: keys.admin.secret, csrf }, { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' });
      expect(res.status).toBe(303);
    });
  });

  describe('CSRF on the sign-out form', () => {
    it.each([
      ['no token', {}, {}],
      ['a token of another session', { other: 'yes' }, {}],
      ['another site’s Origin', { own: 'yes' }, { Origin: 'https://evil.example' }],
      ['Sec-Fetch-Site: cross-site', { own: 'yes' }, { 'Sec-Fetch-Site': 'cross-site' }],
    ] as [string, { own?: string; other?: string }, Record<string, string>][])(
      'refuses a sign-out with %s with a 403 page, and the session keeps working',
      async (_name, use, headers) => {
        const b = browser();
        await b.signIn(keys.admin.secret);
        const other = browser();
        await other.signIn(keys.admin.secret);
        const csrf = use.own ? await b.signOutToken() : use.other ? await other.signOutToken() : undefined;
        const before = await sessions();
        const res = await b.post('/dashboard/sign-out', csrf ? { csrf } : {}, headers);
        expect(res.status).toBe(403);
        expect(res.text).toContain('Sign-out refused');
        expect(res.text).toContain('Nothing was changed: you are still signed in.');
        expect(setCookie(res, 'cm_session')).toBeUndefined();
        expect(await sessions()).toBe(before);
        expect((await b.get('/dashboard')).status).toBe(200);
      },
    );
  });

  describe('hostile requests', () => {
    it('refuses a body over BODY_LIMIT_BYTES with 413, also when it is compressed', async () => {
      const b = browser();
      const csrf = await b.signInToken();
      const huge = await b.post('/dashboard/sign-in', `csrf=${csrf}&api_key=${'x'.repeat(10_000)}`);
      expect(huge.status).toBe(413);
      expect(huge.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(huge.text).toContain('Request body exceeds the limit of 4096 bytes');
      const bomb = await b.post('/dashboard/sign-in', gzipSync(`csrf=${csrf}&api_key=${'x'.repeat(100_000)}`), { 'Content-Encoding': 'gzip' });
      expect(bomb.status).toBe(413);
    });

    it('refuses a form that is not form-encoded UTF-8 with 415', async () => {
      const b = browser();
      const csrf = await b.signInToken();
      for (const contentType of ['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded; charset=latin1']) {
        const res = await b.post('/dashboard/sign-in', `csrf=${csrf}&api_key=${keys.admin.secret}`, { 'Content-Type': contentType });
        expect(res.status).toBe(415);
        expect(res.text).toContain('Request refused');
      }
    });

    it('refuses a field sent twice with 400 and starts no session', async () => {
      const b = browser();
      const csrf = await b.signInToken();
      const before = await sessions();
      const res = await b.post('/dashboard/sign-in', `csrf=${csrf}&api_key=${keys.standard.secret}&api_key=${keys.admin.secret}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('The field “api_key” was sent more than once');
      expect(await sessions()).toBe(before);
    });

    it('ignores fields it does not read and survives odd encodings', async () => {
      const b = browser();
      const csrf = await b.signInToken();
      const odd = await b.post('/dashboard/sign-in', `__proto__=1&constructor=2&csrf=${csrf}&api_key=%ZZ%00`);
      expect(odd.status).toBe(401);
      const nested = await b.post('/dashboard/sign-in', `csrf[a]=1&api_key[]=x&csrf=${csrf}&api_key=${keys.admin.secret}`);
      expect(nested.status).toBe(303);
    });

    it('answers other methods with 405 and the allowed ones', async () => {
      const put = await browser().post('/dashboard', 'x=1');
      expect(put.status).toBe(405);
      expect(put.headers.allow).toBe('GET');
      const getSignOut = await browser().get('/dashboard/sign-out');
      expect(getSignOut.status).toBe(405);
      expect(getSignOut.headers.allow).toBe('POST');
      expect(getSignOut.text).toContain('Use POST on this route');
    });

    it('answers a sign-out without a session by sending the browser to sign in', async () => {
      const res = await browser().post('/dashboard/sign-out', { csrf: 'anything' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/dashboard/sign-in?reason=signed-out');
    });

    it('treats cookies it never issued as no session', async () => {
      for (const value of ['', 'x', '"quoted"', 'a'.repeat(43), '%00', 'a'.repeat(5000)]) {
        const b = browser();
        b.cookies.set('cm_session', value);
        const res = await b.get('/dashboard');
        expect(res.status).toBe(303);
      }
    });
  });

  describe('the failed-authentication throttle', () => {
    it('counts wrong keys on the sign-in form against the same throttle as the API, per address', async () => {
      const clock = new ManualClock();
      const throttled = await createTestAppOn(t.database, { AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_SECONDS: '60', TRUST_PROXY: 'loopback' }, clock);
      try {
        const attacker = new DashboardBrowser(throttled.app, { 'X-Forwarded-For': '203.0.113.9' });
        for (let i = 0; i < 3; i++) {
          const res = await attacker.signIn(`sk_prod_${'A'.repeat(49)}`);
          expect(res.status).toBe(401);
        }
        const locked = await attacker.signIn(keys.admin.secret);
        expect(locked.status).toBe(429);
        expect(locked.headers['retry-after']).toBe('60');
        expect(locked.text).toContain('Too many failed authentications from this address; retry in 60 s.');
        expect(setCookie(locked, 'cm_session')).toBeUndefined();
        // The same address is throttled on the API too: one count, shared.
        const api = await (await import('supertest')).default(throttled.app)
          .post('/v1/calls/start')
          .set('X-Forwarded-For', '203.0.113.9')
          .set('Authorization', `Bearer sk_prod_${'B'.repeat(49)}`)
          .send({ call_id: 'x', identity_hints: { ani: '4155550100' } });
        expect(api.status).toBe(429);
        // Another address is not.
        expect((await new DashboardBrowser(throttled.app, { 'X-Forwarded-For': '198.51.100.1' }).signIn(keys.admin.secret)).status).toBe(303);
        clock.advance(61_000);
        expect((await attacker.signIn(keys.admin.secret)).status).toBe(303);
      } finally {
        await throttled.close();
      }
    });
  });
});
