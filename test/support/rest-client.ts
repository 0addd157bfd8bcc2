/** A REST client for the /v1 shim over real HTTP (supertest), with an organisation and key of its own. */
import request from 'supertest';

import { makeKey, makeOrganisation } from './factories';
import type { TestApp } from './test-app';

/** Posts to /v1 routes with one API key. */
export interface RestClient {
  key: string;
  post(path: string, body: unknown, contentType?: string): request.Test;
}

/** A client for a new organisation's test environment. */
export async function restClient(t: TestApp): Promise<RestClient> {
  const em = t.orm.em.fork();
  const { secret } = await makeKey(t.keys, em, await makeOrganisation(t.keys, em));
  return {
    key: secret,
    post(path, body, contentType = 'application/json') {
      const req = request(t.app).post(path).set('Authorization', `Bearer ${secret}`).set('Content-Type', contentType);
      return req.send(typeof body === 'string' ? body : JSON.stringify(body));
    },
  };
}
