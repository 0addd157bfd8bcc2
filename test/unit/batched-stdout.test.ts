/** The service's log lines on standard output: one write per turn of the event loop, nothing lost on exit. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';

import { createLogger } from '../../src/logging/logger';

const ROOT = join(__dirname, '..', '..');

describe('log lines on standard output', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes the lines logged in one turn of the event loop in one write, in order', async () => {
    const writes: string[] = [];
    jest.spyOn(fs, 'write').mockImplementation(((fd: number, data: string, ...rest: unknown[]) => {
      if (fd === 1) writes.push(String(data));
      const done = rest.at(-1) as (error: Error | null, written: number) => void;
      process.nextTick(() => done(null, Buffer.byteLength(String(data))));
    }) as unknown as typeof fs.write);
    const logger = createLogger('info');
    logger.info({ route: '/v1/calls/start' }, 'first');
    logger.info({ route: '/v1/calls/end' }, 'second');
    logger.info({ ani: '+14155551234' }, 'third');
    expect(writes).toEqual([]);
    await new Promise(setImmediate);
    await new Promise(setImmediate);
    expect(writes).toHaveLength(1);
    const lines = writes[0].trim().split('\n').map((line) => JSON.parse(line) as { msg: string; ani?: string });
    expect(lines.map((line) => line.msg)).toEqual(['first', 'second', 'third']);
    expect(lines[2].ani).toBe('[redacted]');
  });

  it('still writes the lines logged just before the process exits', () => {
    const script = `const { createLogger } = require(${JSON.stringify(join(ROOT, 'src/logging/logger'))});
      const logger = createLogger('info');
      logger.info('before exit 1');
      logger.info('before exit 2');
      process.exit(3);`;
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(3);
    expect(run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['before exit 1', 'before exit 2']);
  });
});
