/** scripts/summarize-jest.js: the `N passed, N failed` line of scripts/test, summed over the suite and the log grep. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'summarize-jest.js');

describe('summarize-jest', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cm-summary-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const results = (name: string, passed: number, failed: number, broken = 0) => {
    const path = join(dir, name);
    const testResults = Array.from({ length: broken }, () => ({ status: 'failed', assertionResults: [] }));
    writeFileSync(path, JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numPendingTests: 0, numTodoTests: 0, testResults }));
    return path;
  };
  const summary = (...files: string[]) => execFileSync(process.execPath, [SCRIPT, ...files], { encoding: 'utf8' }).trim();

  it('sums the suite and the log grep into one line', () => {
    expect(summary(results('suite.json', 1200, 2, 1), results('grep.json', 4, 0))).toBe('1204 passed, 3 failed');
  });

  it('counts a run that wrote no results as a failure', () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '');
    expect(summary(results('suite.json', 10, 0), empty)).toBe('10 passed, 1 failed');
    expect(summary(results('suite.json', 10, 0), join(dir, 'missing.json'))).toBe('10 passed, 1 failed');
  });
});
