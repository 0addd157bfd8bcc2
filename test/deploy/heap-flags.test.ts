/**
 * The V8 heap caps that keep the service's RSS under 300 MB under load (README, "Memory"; docs/decisions.md)
 * are given wherever it starts in production: the container and the systemd unit, the same ones.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=192'];

describe('production heap flags', () => {
  it('starts the container with the heap caps', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1];
    expect(JSON.parse(cmd!)).toEqual(['node', ...FLAGS, 'dist/src/main.js']);
  });

  it('starts the systemd unit with the same heap caps', () => {
    const exec = /^ExecStart=(.*)$/m.exec(readFileSync(join(ROOT, 'deploy', 'caller-memory.service'), 'utf8'))?.[1];
    expect(exec?.split(' ')).toEqual(['/usr/bin/node', ...FLAGS, 'dist/src/main.js']);
  });
});
