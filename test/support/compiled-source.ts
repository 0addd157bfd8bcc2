/**
 * The project's TypeScript compiled once, to run as plain `node` in tests that start many processes (the
 * service, the CLIs). `node -r @swc-node/register src/x.ts` loads the TypeScript compiler and compiles in every
 * process before the code runs (about 0.4 s a start here); this runs the very same output of the very same
 * compiler (swc-node's own `compile`, with the tsconfig it would read), written out ahead of time instead.
 * Lives under dist/ (ignored by git) at the depth of a `npm run build` output, so the code finds the project
 * root, its templates and node_modules as it does from source. One build per version of the sources: the
 * directory is named by their hash, shared by every test file and jest worker, and made by an atomic rename.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { compile } from '@swc-node/register/register';
import { readDefaultTsConfig } from '@swc-node/register/read-default-tsconfig';
import { ModuleKind } from 'typescript';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const PREFIX = 'test-swc-';
const DONE = '.complete';
const A_DAY_MS = 24 * 60 * 60 * 1000;

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

let built: string | undefined;

/** The directory holding `src/**` compiled to CommonJS (e.g. `join(compiledSource(), 'src', 'main.js')`). */
export function compiledSource(): string {
  if (built) return built;
  const files = typescriptFiles(join(ROOT, 'src')).sort();
  const hash = createHash('sha256');
  for (const config of ['tsconfig.json', 'package-lock.json']) hash.update(readFileSync(join(ROOT, config)));
  for (const file of files) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  const target = join(DIST, `${PREFIX}${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(join(target, DONE))) {
    mkdirSync(DIST, { recursive: true });
    pruneOldBuilds(target);
    // As @swc-node/register does: the project's tsconfig, emitting CommonJS.
    const options = { ...readDefaultTsConfig(join(ROOT, 'tsconfig.json')), module: ModuleKind.CommonJS } as Parameters<typeof compile>[2];
    const scratch = mkdtempSync(join(DIST, `.${PREFIX}`));
    for (const file of files) {
      const out = join(scratch, relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, compile(readFileSync(file, 'utf8'), file, { ...options }) as string);
    }
    writeFileSync(join(scratch, DONE), '');
    try {
      renameSync(scratch, target);
    } catch {
      // Another jest worker finished the same build first: use theirs.
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  // Marks it as in use, so pruning (by age) never takes a build a run is still using.
  const now = new Date();
  utimesSync(target, now, now);
  built = target;
  return target;
}

/** Builds of older sources, unused for a day or more (each process that uses a build marks it, above). */
function pruneOldBuilds(keep: string): void {
  for (const name of readdirSync(DIST)) {
    const path = join(DIST, name);
    if (!name.replace(/^\./, '').startsWith(PREFIX) || path === keep) continue;
    if (Date.now() - statSync(path).mtimeMs > A_DAY_MS) rmSync(path, { recursive: true, force: true });
  }
}
