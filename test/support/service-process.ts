/** Runs the real entry point (src/main.ts) as a child process, for start-up and shutdown tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A started service: its port, everything it printed, and its process. */
export interface ServiceProcess {
  port: number;
  output(): string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills every service a test started and has not seen exit (call in afterEach). */
export function killServices(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Starts the service on a free port with the given environment; resolves once it listens. */
export function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const { NODE_OPTIONS: _jest, ...parent } = process.env;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: ROOT,
    // A short drain delay, so a test's SIGTERM does not wait the production default (5 s) for a load balancer.
    env: { ...parent, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', SHUTDOWN_DRAIN_DELAY_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const listening = /"port":(\d+)[^\n]*"msg":"listening"/.exec(text);
      if (listening) {
        resolve({ port: Number(listening[1]), output: () => text, child, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => reject(new Error(`service exited with ${code} before listening:\n${text}`)));
  });
}
