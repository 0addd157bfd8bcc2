/** An organisation with a test and a prod key, and requests to /v1 and /graphql as it: for the rate-limit tests. */
import { setTimeout as sleep } from 'node:timers/promises';

import request from 'supertest';

import { Environment } from '../../src/tenancy/environment';
import { makeKey, makeOrganisation } from './factories';
import type { TestApp } from './test-app';

/** One organisation of an app, and its two keys. */
export interface LimitedOrg {
  id: string;
  testKey: string;
  prodKey: string;
  testKeyId: string;
}

/** A new organisation, its own requests-per-minute limit set first when given (null: the default). */
export async function limitedOrg(t: TestApp, ownLimit?: number): Promise<LimitedOrg> {
  const em = t.orm.em.fork();
  const organisation = await makeOrganisation(t.keys, em);
  const test = await makeKey(t.keys, em, organisation);
  const prod = await makeKey(t.keys, em, organisation, { environment: Environment.PROD });
  if (ownLimit !== undefined) {
    await em.getConnection().execute('update organisations set rate_limit_per_minute = ? where id = ?', [ownLimit, organisation.id]);
  }
  return { id: organisation.id, testKey: test.secret, prodKey: prod.secret, testKeyId: test.apiKey.id };
}

/** What supertest sends to: an app, a server or an origin URL. */
type App = Parameters<typeof request>[0];

let calls = 0;

/** POST /v1/calls/start with a new call id. */
export function startCall(app: App, key: string): request.Test {
  calls += 1;
  return request(app)
    .post('/v1/calls/start')
    .set('Authorization', `Bearer ${key}`)
    .send({ call_id: `rate-${process.pid}-${calls}`, identity_hints: { ani: '4155550177' } });
}

/** A small GraphQL query. */
export function viewerQuery(app: App, key: string): request.Test {
  return request(app).post('/graphql').set('Authorization', `Bearer ${key}`).send({ query: '{ viewer { environment } }' });
}

/** Waits for the next fixed window to begin (the limiter's windows are aligned to the epoch), so a burst falls in one. */
export async function nextWindow(windowMs: number): Promise<void> {
  await sleep(windowMs - (Date.now() % windowMs) + 20);
}

/** The RateLimit fields of an answer. */
export function rateFields(res: { headers: Record<string, string> }): { policy?: string; limit?: string } {
  return { policy: res.headers['ratelimit-policy'], limit: res.headers.ratelimit };
}
