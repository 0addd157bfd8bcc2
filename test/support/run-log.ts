/**
 * The run's log copy, for the whole-run log grep (test/log-grep/): every log line the tests make the service
 * write, from in-process loggers and from service processes, is also appended to a file in one directory
 * per test run. The directory is named by CALLER_MEMORY_TEST_LOG_DIR (set by scripts/test, or by jest's
 * global setup when jest runs alone); read once, here. The service itself knows nothing of it: test helpers
 * give its logger a destination that tees into the copy, and copy what service processes print.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

import pino, { type DestinationStream } from 'pino';

/** The environment variable naming the run's log directory. */
export const RUN_LOG_DIR_VARIABLE = 'CALLER_MEMORY_TEST_LOG_DIR';

const RUN_LOG_DIR = process.env[RUN_LOG_DIR_VARIABLE] || undefined;

/** The directory of this run's log copy, when there is one. */
export function runLogDir(): string | undefined {
  return RUN_LOG_DIR;
}

/** The test file this module was loaded for (jest loads support modules afresh for each test file). */
function testFileName(): string {
  const path = (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect?.getState?.().testPath;
  return path ? basename(path).replace(/[^\w.-]/g, '_') : 'outside-jest';
}

let inProcess: DestinationStream | undefined;

/** This test file's copy of in-process log lines (one file per test file and process), or undefined. */
export function runLogStream(): DestinationStream | undefined {
  if (!RUN_LOG_DIR) return undefined;
  // Synchronous: a worker that ends right after its last test must not lose what it wrote.
  inProcess ??= pino.destination({ dest: join(RUN_LOG_DIR, `in-process-${testFileName()}-${process.pid}.log`), sync: true, mkdir: true, append: true });
  return inProcess;
}

/** A destination writing to `sink` and to the run's copy (either may be absent; none: undefined). */
export function teeToRunLog(sink?: DestinationStream): DestinationStream | undefined {
  const copy = runLogStream();
  if (!copy) return sink;
  if (!sink) return copy;
  // Each stream takes every level; the logger's own level decides what is written at all.
  return pino.multistream([
    { stream: sink, level: 'trace' },
    { stream: copy, level: 'trace' },
  ]);
}

/** The level test apps log at: everything when the run keeps a copy (so the grep sees every line), else nothing. */
export function testLogLevel(): string {
  return RUN_LOG_DIR ? 'trace' : 'silent';
}

/**
 * A copier of the log lines (pino's JSON lines) one output stream of a service process prints into the
 * run's copy, line by line as they complete. Other output is not log lines: the first-start banner shows
 * the new admin key once, by design.
 */
export function serviceLogCopier(pid: number | undefined): (chunk: Buffer | string) => void {
  if (!RUN_LOG_DIR) return () => {};
  const file = join(RUN_LOG_DIR, `service-${testFileName()}-${pid ?? 'unknown'}.log`);
  let pending = '';
  return (chunk) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    const logLines = lines.filter((line) => line.startsWith('{') && line.includes('"level":'));
    if (logLines.length === 0) return;
    mkdirSync(RUN_LOG_DIR, { recursive: true });
    appendFileSync(file, `${logLines.join('\n')}\n`);
  };
}
