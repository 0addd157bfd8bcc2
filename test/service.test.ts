/** The entry point as a user meets it: first start prints a key that works, restarts do not, SIGTERM drains. */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateApiKey } from '../src/tenancy/api-key-format';
import { Environment } from '../src/tenancy/environment';
import { FROM_SOURCE, killServices, startService } from './support/service-process';

const VIEWER = JSON.stringify({ query: '{ viewer { environment organisation { slug } } }' });

async function viewer(port: number, key: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
    body: VIEWER,
  });
  return { status: res.status, body: await res.json() };
}

describe('the service process', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cm-service-'));
  });
  afterEach(() => {
    killServices();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints one test key on the very first start, and never again', async () => {
    const first = await startService({ DATA_DIR: dataDir });
    const key = /(sk_test_[0-9A-Za-z]{49})\b/.exec(first.output())?.[1] ?? '';
    expect(first.output()).toContain('an admin key');
    expect(first.output()).toContain(`Dashboard (sign in with this key): http://localhost:${first.port}/dashboard`);
    expect(await viewer(first.port, key)).toEqual({
      status: 200,
      body: { data: { viewer: { environment: 'TEST', organisation: { slug: 'default' } } } },
    });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startService({ DATA_DIR: dataDir });
    expect(second.output()).not.toMatch(/sk_test_/);
    expect((await viewer(second.port, key)).status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);

  it('registers BOOTSTRAP_API_KEY for the default organisation instead of printing a key', async () => {
    const key = generateApiKey(Environment.PROD);
    const service = await startService({ DATA_DIR: dataDir, BOOTSTRAP_API_KEY: key });
    try {
      expect(service.output()).not.toContain('first start');
      expect(service.output()).not.toContain(key);
      expect(await viewer(service.port, key)).toEqual({
        status: 200,
        body: { data: { viewer: { environment: 'PROD', organisation: { slug: 'default' } } } },
      });
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  }, 60_000);

  it('refuses to start with an invalid configuration, naming every problem', async () => {
    await expect(startService({ DATA_DIR: dataDir, PORT: 'x', DATABASE_URL: 'mysql://nope' })).rejects.toThrow(
      /exited with 78[\s\S]*PORT:[\s\S]*DATABASE_URL:/,
    );
  }, 60_000);

  it('lets an in-flight request finish on SIGTERM, then exits 0', async () => {
    const service = await startService({ DATA_DIR: dataDir });
    const body = JSON.stringify({ call_id: 'in-flight' });
    // Send the headers and half the body, signal, then the rest: the request must still be answered.
    const answered = new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          port: service.port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/v1/calls/start',
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => {
        service.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(5)), 300);
      }, 200);
    });
    expect(await answered).toBe(401);
    expect(await service.exited).toBe(0);
    expect(service.output()).toContain('"msg":"shutting down"');
    expect(service.output()).toContain('"msg":"stopped"');
    await expect(fetch(`http://127.0.0.1:${service.port}/healthz`)).rejects.toThrow();
  }, 60_000);

  // Development as `npm start` runs it (TypeScript through @swc-node/register); the other tests start the same code compiled ahead.
  it.each([
    ['development', FROM_SOURCE],
    ['production', undefined],
  ] as const)('stops cleanly on SIGTERM when idle with NODE_ENV=%s', async (nodeEnv, command) => {
    const service = await startService({ DATA_DIR: dataDir, NODE_ENV: nodeEnv, APP_SECRET: 'service-test-secret-'.padEnd(40, 'x') }, command);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    // "stopped" is logged only after the database is closed: the process did not just run out of work.
    expect(service.output()).toContain('"msg":"stopped"');
  }, 60_000);

  it('drains at once on SIGINT (Ctrl-C), without the load-balancer drain delay SIGTERM waits', async () => {
    const service = await startService({ DATA_DIR: dataDir, SHUTDOWN_DRAIN_DELAY_MS: '60000', SHUTDOWN_TIMEOUT_MS: '120000' });
    service.child.kill('SIGINT');
    // Well under the 60 s delay: SIGTERM with these settings would still be accepting connections then.
    // Unref'd: once the race is decided the timer must not hold jest's process open for the rest of the 20 s.
    const exited = await Promise.race([service.exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 20_000).unref())]);
    expect(exited).toBe(0);
    expect(service.output()).toContain('"msg":"stopped"');
  }, 60_000);
});
