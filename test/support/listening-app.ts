/**
 * A listening service for tests whose client is not supertest (a browser, curl, a GraphQL client package,
 * a platform's request): the real app on a free loopback port, and a fresh organisation's test key.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Clock } from '../../src/shared/clock';
import { restClient } from './rest-client';
import type { Engine } from './scratch-database';
import { createTestApp, type TestApp } from './test-app';

/** The running service a test's requests go to. */
export interface ListeningApp {
  t: TestApp;
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  origin: string;
  key: string;
  /** POSTs a body text as a platform does (Bearer key, JSON); the status and the parsed answer. */
  post(path: string, body: string): Promise<{ status: number; answer: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Makes the server listen on a free port of 127.0.0.1; resolves to its origin, `http://127.0.0.1:<port>`. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts the app (with the given settings and clock, as createTestApp) on a free loopback port. */
export async function listeningApp(engine: Engine, options: { env?: Record<string, string>; clock?: Clock } = {}): Promise<ListeningApp> {
  const t = await createTestApp(engine, options.env, options.clock);
  const key = (await restClient(t)).key;
  const server = createServer(t.app);
  const origin = await listenOnLoopback(server);
  return {
    t,
    origin,
    key,
    async post(path, body) {
      const res = await fetch(`${origin}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body });
      return { status: res.status, answer: (await res.json()) as Record<string, unknown> };
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}
