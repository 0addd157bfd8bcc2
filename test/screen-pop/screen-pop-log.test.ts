/** The access log names the screen-pop route by its pattern: a link's token (a credential) never reaches the log. */
import request from 'supertest';

import type { BuiltApp } from '../../src/app';
import { createLoggedApp, type LoggedApp } from '../support/logged-app';

describe('the screen pop in the access log', () => {
  let app: LoggedApp;
  let lines: string[];
  let built: BuiltApp;
  let secret: string;

  beforeAll(async () => {
    app = await createLoggedApp();
    ({ lines, built, secret } = app);
  });
  afterAll(() => app.close());

  it('logs /screen-pop/:token with the status, never the token', async () => {
    const start = await request(built.app).post('/v1/calls/start').set('Authorization', `Bearer ${secret}`).send({ call_id: 'log-pop', ani: '4155550188' });
    const path = new URL(start.body.flat.screen_pop_url).pathname;
    const token = path.split('/').pop()!;
    lines.length = 0;
    await request(built.app).get(path).expect(200);
    await request(built.app).get(`${path.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`).expect(403);
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(logged.map((l) => [l.route, l.status])).toEqual([
      ['/screen-pop/:token', 200],
      ['/screen-pop/:token', 403],
    ]);
    expect(lines.join('')).not.toContain(token.slice(0, 40));
  });
});
