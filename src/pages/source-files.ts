/**
 * Where the pages' files are on disk: templates and stylesheets live beside their code under `src/`, and
 * browser assets come from installed npm packages. Found from the project root, so the same paths hold when
 * running from source and from the `dist/` build (which compiles only the TypeScript).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The project's root folder (the one holding package.json). */
export const PROJECT_ROOT = findProjectRoot(__dirname);

/** The source folder that templates are named from (`/screen-pop/screen-pop` → `src/screen-pop/screen-pop.eta`). */
export const SOURCE_DIR = join(PROJECT_ROOT, 'src');

/** A file inside an installed npm package. */
export function packageFile(packageName: string, path: string): string {
  return join(PROJECT_ROOT, 'node_modules', packageName, path);
}
