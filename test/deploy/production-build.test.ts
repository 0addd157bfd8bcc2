/**
 * `npm run build` then `npm run start:prod`, as a deployment without containers runs them: the compiled
 * entry under plain `node` (no TypeScript loader) finds its templates, stylesheets, scripts and
 * migrations, and never loads a package that `npm ci --omit=dev` leaves out (a preloaded guard,
 * test/support/forbid-dev-dependencies.cjs, throws if it does).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ASSETS } from '../../src/pages/assets';
import { ENGINES } from '../support/scratch-database';
import { serviceDatabase, type ServiceDatabase } from '../support/service-database';
import { killServices, startService, type ServiceProcess } from '../support/service-process';

const ROOT = join(__dirname, '..', '..');
const GUARD = join(__dirname, '..', 'support', 'forbid-dev-dependencies.cjs');
const { scripts, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; version: string };

/** The build script's tsc arguments, and the start:prod entry below dist/ (checked, so the test follows the scripts). */
function productionScripts(): { tscArgs: string[]; entry: string } {
  const build = /^tsc (.+)$/.exec(scripts.build);
  const start = /^node dist\/(\S+\.js)$/.exec(scripts['start:prod']);
  if (!build || !start) throw new Error(`unexpected build/start:prod scripts: ${scripts.build} / ${scripts['start:prod']}`);
  return { tscArgs: build[1].split(' '), entry: start[1] };
}

/** Compiles the project as `npm run build` does, into `outDir` instead of dist/. */
function build(outDir: string, tscArgs: string[]): void {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, ...tscArgs, '--outDir', outDir], { cwd: ROOT, stdio: 'pipe' });
}

describe('the dev-dependency guard', () => {
  it('stops a process that loads a development dependency', () => {
    const run = spawnSync(process.execPath, ['--require', GUARD, '-e', "require('supertest')"], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("production build loaded 'supertest': supertest is a development dependency");
  });

  it('stops a process that loads the TypeScript loader', () => {
    const run = spawnSync(process.execPath, ['--require', GUARD, '-r', '@swc-node/register', '-e', '0'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('is only for running TypeScript from source');
  });
});

describe('the production build', () => {
  const { tscArgs, entry } = productionScripts();
  let outDir: string;

  beforeAll(() => {
    // Inside dist/ (ignored by git), so the compiled files sit below the project root as `npm run build`'s do.
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    outDir = mkdtempSync(join(ROOT, 'dist', 'test-build-'));
    build(outDir, tscArgs);
  }, 180_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('names the committed schema/schema.graphql from the compiled code too', () => {
    const compiled = join(outDir, 'src', 'graphql', 'schema-file.js');
    const path = execFileSync(process.execPath, ['-p', `require(${JSON.stringify(compiled)}).SCHEMA_FILE`], { encoding: 'utf8' });
    expect(path.trim()).toBe(join(ROOT, 'schema', 'schema.graphql'));
  });

  describe.each(ENGINES)('started with node on %s', (engine) => {
    let database: ServiceDatabase;
    let workDir: string;
    let service: ServiceProcess;
    let key: string;
    let base: string;

    beforeAll(async () => {
      database = await serviceDatabase(engine);
      // Its own working directory, as a service manager would give it: no .env of the checkout is read.
      workDir = mkdtempSync(join(tmpdir(), 'cm-prod-'));
      const env = {
        ...database.env,
        NODE_ENV: 'production',
        APP_SECRET: 'production-build-test-secret-0123456789abcdef',
        // Off by default in production; on here so the explorer page is rendered from the build too.
        GRAPHQL_SANDBOX: 'true',
      };
      service = await startService(env, { args: ['--require', GUARD, join(outDir, entry)], cwd: workDir });
      key = /(sk_test_[0-9A-Za-z]{49})\b/.exec(service.output())?.[1] ?? '';
      base = `http://127.0.0.1:${service.port}`;
    }, 60_000);
    afterAll(async () => {
      killServices();
      rmSync(workDir, { recursive: true, force: true });
      await database.drop();
    });

    it('is ready, with its database migrated', async () => {
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ready', database: 'up' });
    });

    it('starts a call with the key it printed', async () => {
      const res = await fetch(`${base}/v1/calls/start`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ call_id: 'prod_build_001', identity_hints: { ani: '4155550123' } }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ call_id: 'prod_build_001', flat: { call_count: 1, is_returning: 'false' } });
    });

    it('renders its pages from their templates', async () => {
      const signIn = await fetch(`${base}/dashboard/sign-in`);
      expect(signIn.status).toBe(200);
      expect(await signIn.text()).toMatch(/<form[^>]*method="post"/i);
      const explorer = await fetch(`${base}/explorer`);
      expect(explorer.status).toBe(200);
      expect(await explorer.text()).toContain('/assets/graphiql.min.js');
    });

    it('serves the OpenAPI document and its reference page', async () => {
      const document = await fetch(`${base}/openapi.json`);
      expect(document.status).toBe(200);
      expect(await document.json()).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./), info: { version } });
      const page = await fetch(`${base}/docs/api`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('/assets/swagger-ui-bundle.js');
    });

    it.each(Object.entries(ASSETS))('serves the asset %s', async (name, asset) => {
      const res = await fetch(`${base}/assets/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(asset.type);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(asset.file))).toBe(true);
    });

    it('stops cleanly on SIGTERM', async () => {
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.output()).toContain('"msg":"stopped"');
    });
  });
});
