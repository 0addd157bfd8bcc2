/** One JSON log line per request: full path without the query string, the request id, and no caller data. */
import { Writable } from 'node:stream';

import request from 'supertest';

import { createApp } from '../../src/app';
import { createLogger } from '../../src/logging/logger';
import { makeKey, makeOrganisation } from '../support/factories';
import { createTestOrm, testConfig } from '../support/test-app';

it('logs each request with its mounted path, never the query string or the caller’s number', async () => {
  const { orm, close } = await createTestOrm('sqlite');
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const { app, apollo, keys } = await createApp({ config: testConfig(), orm, logger: createLogger('info', sink) });
  try {
    const em = orm.em.fork();
    const { secret } = await makeKey(keys, em, await makeOrganisation(keys, em));
    await request(app)
      .post('/v1/calls/start?ani=4155551234')
      .set('Authorization', `Bearer ${secret}`)
      .set('X-Request-Id', 'log-1')
      .send({ call_id: 'log-call', identity_hints: { ani: '4155551234' } });
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(logged).toEqual([
      expect.objectContaining({ requestId: 'log-1', method: 'POST', path: '/v1/calls/start', status: 200 }),
    ]);
    expect(lines.join('')).not.toMatch(/555/);
    expect(lines.join('')).not.toContain(secret);
  } finally {
    await apollo.stop();
    await close();
  }
});
