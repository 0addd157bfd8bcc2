/** A listening service for the platform-guide tests: the real app on a loopback port, and a key. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { restClient } from './rest-client';
import type { Engine } from './scratch-database';
import { createTestApp, type TestApp } from './test-app';

/** The running service a guide's requests go to. */
export interface GuideServer {
  t: TestApp;
  origin: string;
  key: string;
  /** POSTs a body text as a platform does (Bearer key, JSON); the status and the parsed answer. */
  post(path: string, body: string): Promise<{ status: number; answer: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Starts the app on a free loopback port with a fresh organisation's test key. */
export async function guideServer(engine: Engine): Promise<GuideServer> {
  const t = await createTestApp(engine);
  const key = (await restClient(t)).key;
  const server: Server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
