/**
 * Preloaded (`node --require`) into the compiled service by the production-build test: any module resolved
 * from a package that `npm ci --omit=dev` would not install (package-lock.json marks it `"dev": true`), or
 * from the TypeScript toolchain that only running from source needs, throws. So the test fails when the
 * compiled service reaches for a development dependency, although this checkout has them all installed.
 * Covers `require` and `import` alike (module.registerHooks).
 */
'use strict';
const { readFileSync } = require('node:fs');
const { registerHooks } = require('node:module');
const { join, relative, sep } = require('node:path');
const { fileURLToPath } = require('node:url');

const ROOT = join(__dirname, '..', '..');
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));

/** The TypeScript toolchain, only for running from source (`npm start`); named as such even where the lockfile marks it dev. */
const SOURCE_ONLY = [/^@swc-node\//, /^@swc\//, /^typescript$/];

/** The lockfile key of the innermost package holding `file` (`node_modules/a/node_modules/@b/c`), if any. */
function packageKey(file) {
  const parts = relative(ROOT, file).split(sep);
  let end = -1;
  for (let i = 0; i < parts.length - 1; i += 1) {
    if (parts[i] === 'node_modules') end = parts[i + 1].startsWith('@') ? i + 2 : i + 1;
  }
  return end < 0 ? undefined : parts.slice(0, end + 1).join('/');
}

function refuse(key) {
  const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const entry = lock.packages[key];
  if (SOURCE_ONLY.some((pattern) => pattern.test(name))) return `${name} is only for running TypeScript from source`;
  if (entry && entry.dev) return `${name} is a development dependency (npm ci --omit=dev leaves it out)`;
  return undefined;
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (resolved.url.startsWith('file:')) {
      const key = packageKey(fileURLToPath(resolved.url));
      const reason = key && refuse(key);
      if (reason) throw new Error(`production build loaded '${specifier}': ${reason}`);
    }
    return resolved;
  },
});
