/**
 * Tracing patches http, express, pg and graphql as they are first required, so src/main.ts reads the
 * configuration before it starts tracing and loads the rest afterwards. What main.ts imports itself
 * (config, logger, start-up failure messages) must therefore load none of the instrumented libraries.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const INSTRUMENTED = /\/node_modules\/(express|pg|graphql|@apollo\/server|@mikro-orm\/[^/]+)\//;

/** The files node has loaded after requiring `modules` (from source, as `npm start` runs). */
function loadedBy(modules: string[]): string[] {
  const script = `${modules.map((m) => `require(${JSON.stringify(m)});`).join('')} process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const { NODE_OPTIONS: _jest, ...env } = process.env;
  return JSON.parse(execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: ROOT, env, encoding: 'utf8' })) as string[];
}

describe('what the entry point loads before tracing starts', () => {
  it('loads none of http’s, express’s, pg’s or graphql’s instrumented libraries with the configuration', () => {
    const loaded = loadedBy(['reflect-metadata', './src/config', './src/logging/logger', './src/startup-failure']);
    expect(loaded.some((file) => file.endsWith('/src/config.ts'))).toBe(true);
    expect(loaded.filter((file) => INSTRUMENTED.test(file))).toEqual([]);
  });

  it('does load them with the rest of the service (the check above can see them)', () => {
    const loaded = loadedBy(['reflect-metadata', './src/run-service']);
    expect(loaded.filter((file) => INSTRUMENTED.test(file)).length).toBeGreaterThan(0);
  });
});
