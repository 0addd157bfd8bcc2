/**
 * Lint (eslint.config.mjs: typescript-eslint's recommended rules) as part of the test command: the
 * project's own files, through ESLint's Node API; a finding fails the test, which lists every one.
 */
import { join, relative } from 'node:path';

import { ESLint } from 'eslint';

const ROOT = join(__dirname, '..', '..');

describe('lint', () => {
  it('finds nothing to report in the project (npx eslint .)', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const results = await eslint.lintFiles(['.']);
    const findings = results.flatMap((result) =>
      result.messages.map((m) => `${relative(ROOT, result.filePath)}:${m.line}:${m.column} ${m.ruleId ?? 'parse'}: ${m.message}`),
    );
    expect(results.length).toBeGreaterThan(100);
    expect(findings).toEqual([]);
  }, 180_000);
});
