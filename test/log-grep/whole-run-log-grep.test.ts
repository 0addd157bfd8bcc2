/**
 * The whole-run log grep (contract §8: logs never carry phone numbers, variable values or keys in clear).
 * scripts/test runs it as a second jest run after every other test file has finished, over the log lines
 * the whole run wrote (test/support/run-log.ts): in-process loggers of test apps and the log lines of
 * every service process a test started. Run alone: `npx jest -c jest.log-grep.config.js` after a run that
 * had CALLER_MEMORY_TEST_LOG_DIR set.
 */
import { appendFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runLogDir } from '../support/run-log';
import { harvestNeedles, type Needles } from './log-needles';
import { scanLogDir, type Scan } from './log-scan';

// A whole run writes far more (every test app logs each request); fewer means the copy is not being made.
const MIN_LINES = 5_000;
const MIN_IN_PROCESS_FILES = 40;
const MIN_SERVICE_FILES = 5;

const TEST_DIR = join(__dirname, '..');

describe('the log lines of the whole test run', () => {
  let needles: Needles;
  let scan: Scan;
  let dir: string;

  beforeAll(() => {
    const named = runLogDir();
    if (!named) throw new Error('CALLER_MEMORY_TEST_LOG_DIR is not set: run the suite through scripts/test, which sets it for both runs');
    dir = named;
    needles = harvestNeedles(TEST_DIR, __dirname);
    scan = scanLogDir(dir, needles);
  });

  it('harvests the test phone numbers and variable values from the test sources', () => {
    expect(needles.phones.size).toBeGreaterThan(50);
    expect(needles.phones.has('4155551234')).toBe(true);
    expect(needles.values.size).toBeGreaterThan(20);
    expect(needles.values.has('John Doe')).toBe(true);
  });

  it('reads the log lines of in-process loggers and of service processes', () => {
    expect(scan.lines).toBeGreaterThanOrEqual(MIN_LINES);
    expect(scan.files.filter((f) => f.startsWith('in-process-')).length).toBeGreaterThanOrEqual(MIN_IN_PROCESS_FILES);
    expect(scan.files.filter((f) => f.startsWith('service-')).length).toBeGreaterThanOrEqual(MIN_SERVICE_FILES);
  });

  it('finds no test phone number, variable value or API key in any of them', () => {
    expect(scan.findings.map((f) => `${f.kind} ${f.needle} in ${f.file}:${f.line}: ${f.text}`)).toEqual([]);
  });

  it('finds a number, a value and a key planted in a scratch copy of a log file (control)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'cm-log-grep-'));
    try {
      const source = scan.files.find((f) => f.startsWith('in-process-'));
      if (!source) throw new Error('no in-process log file to copy');
      copyFileSync(join(dir, source), join(scratch, source));
      const key = `sk_test_${'A1b2C3'.repeat(8)}z`;
      appendFileSync(
        join(scratch, source),
        [
          '{"level":30,"msg":"request","ani":"+1 (415) 555-1234"}',
          '{"level":30,"msg":"planted","note":"John Doe called"}',
          `{"level":30,"msg":"planted","authorization":"Bearer ${key}"}`,
        ].join('\n') + '\n',
      );
      const planted = scanLogDir(scratch, needles);
      expect(planted.findings.map((f) => [f.kind, f.needle])).toEqual(
        expect.arrayContaining([
          ['phone', '4155551234'],
          ['value', 'John Doe'],
          ['key', 'sk_…'],
        ]),
      );
      expect(planted.findings).toHaveLength(scan.findings.filter((f) => f.file === source).length + 3);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
