/**
 * Dashboard sessions live in the database, not in one process: behind a load balancer, a session made on
 * one instance works on another, and signing out on either ends it on both.
 */
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';
import { DashboardBrowser, makeKeys } from './dashboard-client';

describe('dashboard sessions across two instances on one PostgreSQL database', () => {
  let one: TestApp;
  let two: TestApp;
  let keys: Awaited<ReturnType<typeof makeKeys>>;

  beforeAll(async () => {
    one = await createTestApp('postgresql');
    two = await createTestAppOn(one.database);
    keys = await makeKeys(one.keys, one.orm.em.fork());
  });
  afterAll(async () => {
    await two.close();
    await one.close();
  });

  /** The same browser's cookies, presented to another instance. */
  const onInstance = (from: DashboardBrowser, app: TestApp) => {
    const b = new DashboardBrowser(app.app);
    for (const [name, value] of from.cookies) b.cookies.set(name, value);
    return b;
  };

  it('accepts on the second instance a session signed in on the first', async () => {
    const first = new DashboardBrowser(one.app);
    expect((await first.signIn(keys.admin.secret)).status).toBe(303);
    const res = await onInstance(first, two).get('/dashboard');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Acme Support · prod');
  });

  it('ends the session on both instances when it is signed out on one', async () => {
    const first = new DashboardBrowser(one.app);
    await first.signIn(keys.admin.secret);
    const second = onInstance(first, two);
    // The sign-out form's token, read on the second instance, is good there: both derive it from APP_SECRET.
    const out = await second.post('/dashboard/sign-out', { csrf: await second.signOutToken() });
    expect(out.status).toBe(303);
    const stale = new DashboardBrowser(one.app);
    for (const [name, value] of first.cookies) stale.cookies.set(name, value);
    const res = await stale.get('/dashboard');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard/sign-in');
    expect((await onInstance(first, two).get('/dashboard')).status).toBe(303);
  });

  it('accepts on one instance a sign-in form served by the other', async () => {
    const b = new DashboardBrowser(one.app);
    const csrf = await b.signInToken();
    const res = await onInstance(b, two).post('/dashboard/sign-in', { api_key: keys.admin.secret, csrf });
    expect(res.status).toBe(303);
  });
});
