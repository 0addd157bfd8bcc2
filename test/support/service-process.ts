/**
 * Runs the real entry point (src/main.ts) as a child process, for start-up and shutdown tests: compiled ahead
 * (compiled-source.ts) unless told otherwise, since these tests start dozens of services and the TypeScript
 * loader costs each one about 0.4 s; FROM_SOURCE is `npm start` itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { compiledSource } from './compiled-source';
import { serviceLogCopier } from './run-log';

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

/** How to run the service: node's arguments and working directory (default: the compiled source, from the root). */
export interface ServiceCommand {
  args: string[];
  cwd: string;
}

/** As `npm start` runs it: the TypeScript source through @swc-node/register. */
export const FROM_SOURCE: ServiceCommand = { args: ['-r', '@swc-node/register', 'src/main.ts'], cwd: ROOT };

/** The same source compiled by the same compiler ahead of time, shared by every start (compiled-source.ts). */
function compiled(): ServiceCommand {
  return { args: [join(compiledSource(), 'src', 'main.js')], cwd: ROOT };
}

/** Starts the service on a free port with the given environment; resolves once it listens. */
export function startService(env: Record<string, string>, command: ServiceCommand = compiled()): Promise<ServiceProcess> {
  const { NODE_OPTIONS: _jest, ...parent } = process.env;
  const child = spawn(process.execPath, command.args, {
    cwd: command.cwd,
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
    // Everything the service logs goes to the run's log copy too (the whole-run log grep, test/log-grep/).
    child.stdout.on('data', serviceLogCopier(child.pid));
    child.stderr.on('data', serviceLogCopier(child.pid));
    exited.then((code) => reject(new Error(`service exited with ${code} before listening:\n${text}`)));
  });
}

/** A start that was meant to fail: its exit code and what it wrote on each stream. */
export interface FailedStart {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the service (compiled, unless told) until it exits; one that starts listening instead is killed (code null). */
export function failedStart(env: Record<string, string>, command: ServiceCommand = compiled()): Promise<FailedStart> {
  const { NODE_OPTIONS: _jest, ...parent } = process.env;
  const child = spawn(process.execPath, command.args, {
    cwd: command.cwd,
    env: { ...parent, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    out.stdout += chunk.toString();
    if (out.stdout.includes('"msg":"listening"')) child.kill('SIGKILL');
  });
  child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  child.stdout.on('data', serviceLogCopier(child.pid));
  child.stderr.on('data', serviceLogCopier(child.pid));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      running.delete(child);
      resolve({ code, ...out });
    }),
  );
}
