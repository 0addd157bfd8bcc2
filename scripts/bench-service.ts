/**
 * The benchmarks' service process: the service in production mode on an ephemeral loopback port, with the
 * benchmark's key bootstrapped, resolved once it logs that it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running service and its base URL. */
export interface BenchService {
  url: string;
  /** The PostgreSQL database it uses (none on SQLite). */
  database?: string;
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

export async function startBenchService({ nodeArgs, dist = false, key, secret, env }: BenchServiceOptions): Promise<BenchService> {
  // The benchmark's own DATABASE_URL names the server, not the database the service should use.
  const { DATABASE_URL: _unused, ...parent } = process.env;
  const entry = dist ? ['dist/src/main.js'] : ['-r', '@swc-node/register', 'src/main.ts'];
  // Its log goes to a file, not a pipe: a pipe is written synchronously, and the benchmark's own process,
  // busy generating the load, drains it late, which stalled the services by turns (issue 13, fifth session).
  const dir = mkdtempSync(join(tmpdir(), 'cm-bench-log-'));
  const logPath = join(dir, 'service.log');
  const log = openSync(logPath, 'w');
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: ROOT,
    env: { ...parent, NODE_ENV: 'production', APP_SECRET: secret, BOOTSTRAP_API_KEY: key, SHUTDOWN_DRAIN_DELAY_MS: '0', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', log, 'inherit'],
  });
  closeSync(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
    rmSync(dir, { recursive: true, force: true });
  });
  for (;;) {
    const port = /"port":(\d+)[^\n]*"msg":"listening"/.exec(readFileSync(logPath, 'utf8'))?.[1];
    if (port) return { url: `http://127.0.0.1:${port}`, child, database: env.DATABASE_URL ? new URL(env.DATABASE_URL).pathname.slice(1) : undefined };
    if (exited !== undefined) throw new Error(`service exited with ${exited}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
