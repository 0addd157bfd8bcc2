/**
 * A REST client for the /v1 shim over real HTTP (supertest), with an organisation and key of its own.
 * Every answer it receives is checked against the service's own /openapi.json (openapi-contract.ts): a
 * status, body or header the document does not describe fails the test that received it.
 */
import request from 'supertest';

import { makeKey, makeOrganisation } from './factories';
import { contractOf } from './openapi-contract';
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
  const contract = contractOf((await request(t.app).get('/openapi.json')).text);
  return {
    key: secret,
    post(path, body, contentType = 'application/json') {
      const req = request(t.app).post(path).set('Authorization', `Bearer ${secret}`).set('Content-Type', contentType);
      const sent = req.send(typeof body === 'string' ? body : JSON.stringify(body));
      // Routes the document does not describe (a 404 for /v1/calls/pause) have nothing to be checked against.
      return contract.describes('post', path) ? sent.expect((res) => contract.check('POST', path, res)) : sent;
    },
  };
}
