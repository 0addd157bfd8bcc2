/**
 * Signing in to the dashboard (issue 10 §2, contract §8): admin keys only, a session cookie with the right
 * flags, stored as a keyed hash, rotated at sign-in, ended by sign-out, expiry and revocation.
 */
import { DashboardSession } from '../../src/dashboard/dashboard-session.entity';
import { ManualClock } from '../../src/shared/clock';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';
import { csrfOf, DashboardBrowser, makeKeys, setCookie } from './dashboard-client';

const HOUR = 3_600_000;

describe.each(ENGINES)('dashboard sessions on %s', (engine) => {
  let t: TestApp;
  let clock: ManualClock;
  let keys: Awaited<ReturnType<typeof makeKeys>>;
  const browser = () => new DashboardBrowser(t.app);
  const sessions = () => t.orm.em.fork().count(DashboardSession, {});

  beforeAll(async () => {
    clock = new ManualClock();
    t = await createTestApp(engine, { DASHBOARD_SESSION_HOURS: '8' }, clock);
    keys = await makeKeys(t.keys, t.orm.em.fork());
  });
  afterAll(() => t.close());

  it('sends /dashboard without a session to the sign-in form: an "API key" password field and a submit button', async () => {
    const b = browser();
    const res = await b.get('/dashboard');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard/sign-in');
    const form = await b.get('/dashboard/sign-in');
    expect(form.status).toBe(200);
    expect(form.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(form.headers['content-security-policy']).toContain("script-src 'self'");
    expect(form.text).toContain('<label for="api-key">API key</label>');
    expect(form.text).toMatch(/<input id="api-key" name="api_key" type="password"/);
    expect(form.text).toContain('<button type="submit">Sign in</button>');
    expect(form.text).toMatch(/<form method="post" action="\/dashboard\/sign-in"/);
  });

  it('signs an admin key in with an HttpOnly, SameSite=Strict cookie on the dashboard path for DASHBOARD_SESSION_HOURS, not Secure over plain HTTP', async () => {
    const b = browser();
    const res = await b.signIn(keys.admin.secret);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard');
    const cookie = setCookie(res, 'cm_session')!;
    expect(cookie).toMatch(/^cm_session=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/dashboard; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toMatch(/Secure/i);
    // The sign-in form's nonce is spent.
    expect(setCookie(res, 'cm_sign_in')).toMatch(/^cm_sign_in=; Path=\/dashboard; Expires=Thu, 01 Jan 1970/);
    const page = await b.get('/dashboard');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Acme Support · prod');
  });

  it('keeps only a keyed hash of the session token in the database', async () => {
    const b = browser();
    await b.signIn(keys.admin.secret);
    const token = b.cookies.get('cm_session')!;
    const rows = await t.orm.em.fork().find(DashboardSession, {}, { populate: ['apiKey'] });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(token);
    }
    expect(rows.filter((r) => r.apiKey.id === keys.admin.apiKey.id).length).toBe(rows.length);
  });

  it('starts every sign-in under a fresh token and ends the session the browser held before', async () => {
    // Even a token planted in the browser before sign-in (session fixation) is replaced, never reused.
    const b = browser();
    await b.signIn(keys.admin.secret);
    const first = b.cookies.get('cm_session')!;
    const before = await sessions();
    await b.signIn(keys.admin.secret);
    const second = b.cookies.get('cm_session')!;
    expect(second).not.toBe(first);
    expect(await sessions()).toBe(before);
    const old = new DashboardBrowser(t.app);
    old.cookies.set('cm_session', first);
    expect((await old.get('/dashboard')).status).toBe(303);
    expect((await b.get('/dashboard')).status).toBe(200);
  });

  it('refuses an ordinary key with a clear message and starts no session', async () => {
    const before = await sessions();
    const res = await browser().signIn(keys.standard.secret);
    expect(res.status).toBe(403);
    expect(res.text).toContain('This is an ordinary API key: it runs calls but cannot open the dashboard.');
    expect(res.text).toContain('--admin');
    expect(setCookie(res, 'cm_session')).toBeUndefined();
    expect(await sessions()).toBe(before);
  });

  it('refuses a wrong key, an empty field and a revoked key with a clear message', async () => {
    const b = browser();
    const wrong = await b.signIn(`${keys.admin.secret.slice(0, -1)}${keys.admin.secret.endsWith('a') ? 'b' : 'a'}`);
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('That key was not accepted: Invalid API key: its checksum does not match');
    const empty = await b.post('/dashboard/sign-in', { api_key: '   ', csrf: await b.signInToken() });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter an admin API key.');
    const { admin } = await makeKeys(t.keys, t.orm.em.fork());
    await t.keys.revokeKey(t.orm.em.fork(), admin.apiKey.id);
    const revoked = await b.signIn(admin.secret);
    expect(revoked.status).toBe(401);
    expect(revoked.text).toContain('That key was not accepted: Invalid or revoked API key.');
    expect(setCookie(revoked, 'cm_session')).toBeUndefined();
  });

  it('signs out for good: the answer clears the cookie and the old cookie no longer opens the dashboard', async () => {
    const b = browser();
    await b.signIn(keys.admin.secret);
    const token = b.cookies.get('cm_session')!;
    const res = await b.post('/dashboard/sign-out', { csrf: await b.signOutToken() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard/sign-in?reason=signed-out');
    expect(setCookie(res, 'cm_session')).toMatch(/^cm_session=; Path=\/dashboard; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/);
    expect((await b.get('/dashboard/sign-in?reason=signed-out')).text).toContain('You have signed out.');
    const replay = new DashboardBrowser(t.app);
    replay.cookies.set('cm_session', token);
    const after = await replay.get('/dashboard');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/dashboard/sign-in');
  });

  it('ends a session when DASHBOARD_SESSION_HOURS have passed on the clock, and deletes it', async () => {
    const b = browser();
    await b.signIn(keys.admin.secret);
    const before = await sessions();
    clock.advance(8 * HOUR - 1000);
    expect((await b.get('/dashboard')).status).toBe(200);
    clock.advance(1000);
    const res = await b.get('/dashboard');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard/sign-in?reason=expired');
    expect(await sessions()).toBe(before - 1);
    expect((await b.get('/dashboard/sign-in?reason=expired')).text).toContain('Your session has expired.');
  });

  it('sweeps expired sessions nobody presents again at the next sign-in', async () => {
    await browser().signIn(keys.admin.secret);
    await browser().signIn(keys.admin.secret);
    clock.advance(9 * HOUR);
    await browser().signIn(keys.admin.secret);
    expect(await sessions()).toBe(1);
  });

  it('ends every session of a key at the next request after the key is revoked', async () => {
    const { admin } = await makeKeys(t.keys, t.orm.em.fork(), 'Revoked Org');
    const [a, b] = [browser(), browser()];
    await a.signIn(admin.secret);
    await b.signIn(admin.secret);
    expect((await a.get('/dashboard')).status).toBe(200);
    await t.keys.revokeKey(t.orm.em.fork(), admin.apiKey.id, clock.now());
    const res = await a.get('/dashboard');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard/sign-in?reason=revoked');
    expect(await t.orm.em.fork().count(DashboardSession, { apiKey: admin.apiKey.id })).toBe(0);
    expect((await b.get('/dashboard')).status).toBe(303);
  });

  it('does not open the dashboard for an API key sent in headers: only the session cookie counts', async () => {
    const res = await browser().get('/dashboard', { Authorization: `Bearer ${keys.admin.secret}` });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard/sign-in');
  });

  describe('behind a TLS proxy', () => {
    it('marks both cookies Secure when X-Forwarded-Proto says https and TRUST_PROXY believes it, and only then', async () => {
      const proxied = await createTestAppOn(t.database, { TRUST_PROXY: 'loopback' }, clock);
      try {
        const https = new DashboardBrowser(proxied.app, { 'X-Forwarded-Proto': 'https' });
        const form = await https.get('/dashboard/sign-in');
        expect(setCookie(form, 'cm_sign_in')).toMatch(/; Path=\/dashboard; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);
        const res = await https.signIn(keys.admin.secret);
        expect(setCookie(res, 'cm_session')).toMatch(/^cm_session=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/dashboard; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);
        const plain = await new DashboardBrowser(proxied.app, { 'X-Forwarded-Proto': 'http' }).signIn(keys.admin.secret);
        expect(setCookie(plain, 'cm_session')).not.toMatch(/Secure/);
      } finally {
        await proxied.close();
      }
      // Without TRUST_PROXY the header is the client's word, not the proxy's.
      const untrusted = await new DashboardBrowser(t.app, { 'X-Forwarded-Proto': 'https' }).signIn(keys.admin.secret);
      expect(setCookie(untrusted, 'cm_session')).not.toMatch(/Secure/);
    });

    it('marks both cookies Secure when PUBLIC_URL is https, even behind a TLS proxy nobody told it to trust', async () => {
      for (const [publicUrl, secure] of [['https://memory.example.com', true], ['http://memory.internal:4000', false]] as const) {
        const app = await createTestAppOn(t.database, { PUBLIC_URL: publicUrl }, clock);
        try {
          // What a TLS-terminating proxy forwards when TRUST_PROXY was left unset: plain HTTP to the service.
          const b = new DashboardBrowser(app.app, { Origin: new URL(publicUrl).origin });
          const form = await b.get('/dashboard/sign-in');
          const res = await b.signIn(keys.admin.secret);
          expect(res.status).toBe(303);
          for (const cookie of [setCookie(form, 'cm_sign_in'), setCookie(res, 'cm_session'), setCookie(res, 'cm_sign_in')]) {
            expect(/; Secure;/.test(cookie ?? '')).toBe(secure);
          }
          const out = await b.post('/dashboard/sign-out', { csrf: csrfOf((await b.get('/dashboard')).text) });
          expect(/; Secure;/.test(setCookie(out, 'cm_session') ?? '')).toBe(secure);
        } finally {
          await app.close();
        }
      }
    });
  });

  it('lives under PUBLIC_URL’s path behind a proxy: links, redirects and the cookie path carry it', async () => {
    const proxied = await createTestAppOn(t.database, { PUBLIC_URL: 'https://memory.example.com/cm' }, clock);
    try {
      const b = new DashboardBrowser(proxied.app);
      const first = await b.get('/dashboard');
      expect(first.headers.location).toBe('/cm/dashboard/sign-in');
      const form = await b.get('/dashboard/sign-in');
      expect(form.text).toContain('<form method="post" action="/cm/dashboard/sign-in"');
      expect(form.text).toContain('href="/cm/assets/dashboard.css"');
      expect(setCookie(form, 'cm_sign_in')).toContain('; Path=/cm/dashboard;');
      // The browser's Origin is the public one, not the Host the proxy forwards.
      const res = await b.post('/dashboard/sign-in', { api_key: keys.admin.secret, csrf: csrfOf(form.text) }, { Origin: 'https://memory.example.com' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/cm/dashboard');
      expect(setCookie(res, 'cm_session')).toContain('; Path=/cm/dashboard;');
      expect((await b.get('/dashboard')).text).toContain('action="/cm/dashboard/sign-out"');
    } finally {
      await proxied.close();
    }
  });

  it('puts a CSRF token in every POST form: the sign-in form and the sign-out form', async () => {
    const b = browser();
    const form = await b.get('/dashboard/sign-in');
    expect(csrfOf(form.text)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await b.signIn(keys.admin.secret);
    const page = await b.get('/dashboard');
    expect(page.text).toMatch(/<form method="post" action="\/dashboard\/sign-out">\s*<input type="hidden" name="csrf" value="[A-Za-z0-9_-]{43}">/);
  });
});
