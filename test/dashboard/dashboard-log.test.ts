/** The access log names the dashboard's routes by pattern and never holds a key, a token or the query string. */
import { Writable } from 'node:stream';

import type { MikroORM } from '@mikro-orm/core';

import { createApp, type BuiltApp } from '../../src/app';
import { createLogger } from '../../src/logging/logger';
import { createTestOrm, testConfig } from '../support/test-app';
import { DashboardBrowser, makeKeys } from './dashboard-client';

describe('the dashboard in the access log', () => {
  const lines: string[] = [];
  let built: BuiltApp;
  let orm: MikroORM;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const scratch = await createTestOrm('sqlite');
    ({ orm, close } = scratch);
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    built = await createApp({ config: testConfig(), orm, logger: createLogger('info', sink) });
  });
  afterAll(async () => {
    await built.apollo.stop();
    await close();
  });

  it('logs /dashboard, /dashboard/sign-in and /dashboard/sign-out by pattern, without keys, tokens or dates', async () => {
    const { admin } = await makeKeys(built.keys, orm.em.fork());
    const b = new DashboardBrowser(built.app);
    await b.signIn(admin.secret);
    const token = b.cookies.get('cm_session')!;
    await b.get('/dashboard?from=2026-01-01&to=2026-01-31');
    await b.post('/dashboard/sign-out', { csrf: 'wrong' });
    const routes = lines.map((l) => JSON.parse(l) as { msg: string; route: string; status: number }).filter((l) => l.msg === 'request');
    expect(routes.map((l) => [l.route, l.status])).toEqual([
      ['/dashboard/sign-in', 200],
      ['/dashboard/sign-in', 303],
      ['/dashboard', 200],
      ['/dashboard/sign-out', 403],
    ]);
    const text = lines.join('');
    for (const secret of [admin.secret, token, '2026-01-01']) expect(text).not.toContain(secret);
  });
});
