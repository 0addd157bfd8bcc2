/**
 * Two instances of the service behind no load balancer at all: each its own app, ORM and pool, listening on
 * its own loopback port, over one scratch PostgreSQL database, with one API key valid on both.
 */
import { createServer, type Server } from 'node:http';

import type { Clock } from '../../src/shared/clock';
import type { Organisation } from '../../src/tenancy/organisation.entity';
import { makeKey, makeOrganisation } from './factories';
import { listenOnLoopback } from './listening-app';
import { createTestApp, createTestAppOn, type TestApp } from './test-app';

/** One listening instance. */
export interface Instance {
  t: TestApp;
  origin: string;
}

/** Instances A and B, the organisation the key belongs to, and the key. */
export interface TwoInstances {
  a: Instance;
  b: Instance;
  organisation: Organisation;
  key: string;
  close(): Promise<void>;
}

async function listen(t: TestApp): Promise<{ instance: Instance; server: Server }> {
  const server = createServer(t.app);
  return { instance: { t, origin: await listenOnLoopback(server) }, server };
}

/** Starts A on a new scratch PostgreSQL database and B on the same one, with the same settings and clock. */
export async function twoInstances(env: Record<string, string> = {}, clock?: Clock): Promise<TwoInstances> {
  const first = await createTestApp('postgresql', env, clock);
  const second = await createTestAppOn(first.database, env, clock);
  const em = first.orm.em.fork();
  const organisation = await makeOrganisation(first.keys, em);
  const { secret } = await makeKey(first.keys, em, organisation);
  const a = await listen(first);
  const b = await listen(second);
  return {
    a: a.instance,
    b: b.instance,
    organisation,
    key: secret,
    async close() {
      await Promise.all([a, b].map(({ server }) => new Promise((resolve) => server.close(resolve))));
      await second.close();
      await first.close();
    },
  };
}
