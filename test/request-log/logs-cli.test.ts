/** The logs command-line tool, run as a real process against the scratch database a test app wrote its request log to. */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { logClient, type LogClient } from './request-log-fixture';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

describe.each(ENGINES)('logs CLI on %s', (engine) => {
  let t: TestApp;
  let client: LogClient;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp(engine);
    env = t.database.engine === 'sqlite' ? { DATA_DIR: dirname(t.database.path) } : { DATABASE_URL: t.database.url };
    client = await logClient(t);
    await client.post('/v1/calls/start', { call_id: 'cli-+14155550155-1', identity_hints: { ani: '+14155550155' } }).expect(200);
    await client.post('/v1/calls/start', { call_id: 'cli-2', identity_hints: 'nope' }).expect(400);
    await client.post('/v1/calls/end', { call_id: 'cli-3', intent: 'billing' }).expect(400);
    await t.requestLog.flush();
  }, 60_000);
  afterAll(() => t.close());

  const logs = async (...args: string[]) => {
    const { NODE_OPTIONS: _ignored, ...parent } = process.env;
    return run(process.execPath, ['-r', '@swc-node/register', 'src/cli/logs.ts', ...args], {
      cwd: ROOT,
      env: { ...parent, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    }).catch((error: { code: number; stdout: string; stderr: string }) => ({ stdout: error.stdout, stderr: error.stderr, code: error.code }));
  };

  it('prints one line per entry, newest first: time, method, route, status, latency, call id, request id, key, code and issues', async () => {
    const { stdout } = await logs('--organisation', client.organisation.slug);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z {2}POST {2}\/v1\/calls\/start {2}200 {2}\d+\.\dms {2}call_id=cli-\*{9}55-1 {2}request_id=\S+ {2}key=/);
    expect(lines[1]).toContain('BAD_USER_INPUT  issues: identity_hints: ');
    expect(stdout).not.toContain('4155550155');
  }, 60_000);

  it('filters by call id, status class and time, and prints JSON with --json', async () => {
    const byCall = await logs('--organisation', client.organisation.slug, '--call-id', 'cli-+14155550155-1', '--json');
    const entries = byCall.stdout.trim().split('\n').map((l) => JSON.parse(l) as { status: number; route: string });
    expect(entries).toEqual([expect.objectContaining({ status: 200, route: '/v1/calls/start' })]);
    const failed = await logs('--organisation', client.organisation.slug, '--status', '4xx', '--since', '1h', '--limit', '1');
    expect(failed.stdout.trim().split('\n')).toHaveLength(1);
    expect(failed.stdout).toContain('/v1/calls/end  400');
    expect((await logs('--organisation', client.organisation.slug, '--environment', 'prod')).stdout).toBe('');
  }, 60_000);

  it('refuses an unknown organisation, a bad status and a missing organisation with a message and an exit code', async () => {
    const unknown = await logs('--organisation', 'no-such-org');
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining("No organisation 'no-such-org'") });
    const status = await logs('--organisation', client.organisation.slug, '--status', 'bad');
    expect(status).toMatchObject({ code: 1, stderr: expect.stringContaining('status must be a status code (404) or a class (4xx)') });
    expect(await logs()).toMatchObject({ code: 64, stdout: expect.stringContaining('Usage: npm run logs') });
  }, 60_000);
});
