/**
 * The benchmarks' service process: the service in production mode on an ephemeral loopback port, with the
 * benchmark's key bootstrapped, resolved once it logs that it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A running service and its base URL. */
export interface BenchService {
  url: string;
  child: ChildProcess;
}

/** How to start it: node flags, the built `dist/` or the sources, the key and secret, extra environment. */
export interface BenchServiceOptions {
  nodeArgs: string[];
  dist?: boolean;
  key: string;
  secret: string;
  env: Record<string, string>;
}

const ROOT = join(__dirname, '..');

export function startBenchService({ nodeArgs, dist = false, key, secret, env }: BenchServiceOptions): Promise<BenchService> {
  // The benchmark's own DATABASE_URL names the server, not the database the service should use.
  const { DATABASE_URL: _unused, ...parent } = process.env;
  const entry = dist ? ['dist/src/main.js'] : ['-r', '@swc-node/register', 'src/main.ts'];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: ROOT,
    env: { ...parent, NODE_ENV: 'production', APP_SECRET: secret, BOOTSTRAP_API_KEY: key, SHUTDOWN_DRAIN_DELAY_MS: '0', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const port = /"port":(\d+)[^\n]*"msg":"listening"/.exec(seen)?.[1];
      if (port) {
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({ url: `http://127.0.0.1:${port}`, child });
      }
    });
    child.on('exit', (code) => reject(new Error(`service exited with ${code}`)));
  });
}
