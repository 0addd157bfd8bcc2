/**
 * The keys command-line tool, run as a real process against a real SQLite file and PostgreSQL database:
 * compiled ahead (test/support/compiled-source.ts), since these tests run it some thirty times and the
 * TypeScript loader costs each run about 0.3 s; the last test runs it from source, as `npm run keys` does.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { isWellFormedApiKey } from '../../src/tenancy/api-key-format';
import { compiledSource } from '../support/compiled-source';
import { createScratchDatabase, ENGINES, type ScratchDatabase } from '../support/scratch-database';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
/** node's arguments for the tool compiled ahead, and as `npm run keys` runs it. */
const COMPILED = [join(compiledSource(), 'src', 'cli', 'keys.js')];
const FROM_SOURCE = ['-r', '@swc-node/register', 'src/cli/keys.ts'];

describe.each(ENGINES)('keys CLI on %s', (engine) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (engine === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'cm-cli-'));
      env = { DATA_DIR: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const scratch: ScratchDatabase = await createScratchDatabase('postgresql');
      env = { DATABASE_URL: scratch.config.engine === 'postgresql' ? scratch.config.url : '' };
      cleanup = scratch.drop;
    }
  });
  afterAll(() => cleanup());

  const keys = async (...args: string[]) => {
    const { NODE_OPTIONS: _ignored, ...parent } = process.env;
    return run(process.execPath, [...COMPILED, ...args], {
      cwd: ROOT,
      env: { ...parent, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    });
  };

  it('creates an organisation and a key, lists it without the secret, and revokes it', async () => {
    await keys('create-org', '--slug', 'acme', '--name', 'Acme Support');

    const created = await keys('create', '--org', 'acme', '--env', 'prod', '--name', 'Five9 IVR');
    const secret = created.stdout.trim().split('\n').pop() ?? '';
    expect(isWellFormedApiKey(secret)).toBe(true);
    expect(secret.startsWith('sk_prod_')).toBe(true);
    const id = /created standard key ([0-9a-f-]{36})/.exec(created.stdout)?.[1];

    const listed = await keys('list', '--org', 'acme');
    expect(listed.stdout).toContain(`${id}\tacme\tprod\tstandard\t${secret.slice(0, 12)}…\tFive9 IVR`);
    expect(listed.stdout).not.toContain(secret);
    expect(listed.stdout).toMatch(/\t-\n$/);

    const revoked = await keys('revoke', id ?? '');
    expect(revoked.stdout).toContain(`revoked key ${id}`);
    expect((await keys('list')).stdout).not.toMatch(/\t-\n$/);
  }, 60_000);

  it('creates an admin key with --admin, listed with its role', async () => {
    await keys('create-org', '--slug', 'admins', '--name', 'Admins');
    const created = await keys('create', '--org', 'admins', '--env', 'test', '--name', 'Manager', '--admin');
    const id = /created admin key ([0-9a-f-]{36})/.exec(created.stdout)?.[1];
    expect(id).toBeDefined();
    expect((await keys('list', '--org', 'admins')).stdout).toContain(`${id}\tadmins\ttest\tadmin\t`);
  }, 60_000);

  it('sets an organisation time zone by its IANA name and refuses an unknown one', async () => {
    await keys('create-org', '--slug', 'zoned', '--name', 'Zoned');
    const set = await keys('set-time-zone', '--org', 'zoned', '--time-zone', 'europe/london');
    expect(set.stdout).toContain('organisation zoned now counts days in Europe/London');
    await expect(keys('set-time-zone', '--org', 'zoned', '--time-zone', 'Mars/Olympus')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("Unknown time zone 'Mars/Olympus'"),
    });
  }, 60_000);

  it('reports a bad environment and an unknown organisation clearly, with a failing exit code', async () => {
    await expect(keys('create', '--org', 'nobody', '--env', 'test')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("No organisation 'nobody'"),
    });
    await expect(keys('create', '--org', 'acme', '--env', 'staging')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--env must be test or prod'),
    });
    await expect(keys('frobnicate')).rejects.toMatchObject({ code: 64 });
  }, 60_000);
});

describe('keys CLI without its database', () => {
  it('says in one line that DATABASE_URL points at nothing, without the password or a stack (exit 75: it may come up)', async () => {
    const { NODE_OPTIONS: _ignored, ...parent } = process.env;
    // Port 1 of this machine: nothing listens there.
    const env = { ...parent, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://ops:Hunter2Pw@127.0.0.1:1/memory' };
    const failed = await run(process.execPath, [...FROM_SOURCE, 'list'], { cwd: ROOT, env }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 75 });
    expect(failed.stderr.trim()).toBe(
      'caller-memory keys cannot start: DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:1/memory as ops (ECONNREFUSED): ' +
        'nothing accepts connections there; is PostgreSQL running, on that host and port?',
    );
    expect(failed.stdout + failed.stderr).not.toContain('Hunter2Pw');
  }, 60_000);
});
