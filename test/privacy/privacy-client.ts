/**
 * Clients for the privacy tests: REST (start, end, export, erase) and GraphQL with one key each, every REST
 * answer checked against the service's /openapi.json (the customer routes under their `{ref}` template).
 */
import request from 'supertest';

import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import type { Organisation } from '../../src/tenancy/organisation.entity';
import { makeKey, makeOrganisation } from '../support/factories';
import { contractOf, type OpenApiContract } from '../support/openapi-contract';
import type { TestApp } from '../support/test-app';

const CUSTOMER_ROUTE = '/v1/customers/{ref}';

/** One key's view of the service. */
export interface KeyClient {
  key: string;
  keyId: string;
  start(body: object): request.Test;
  end(body: object): request.Test;
  exportCustomer(ref: string): request.Test;
  erase(ref: string): request.Test;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON whose shape each test's query decides
  graphql(query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: { message: string; extensions?: Record<string, any> }[] }>;
}

let contract: OpenApiContract | undefined;

async function contractFor(t: TestApp): Promise<OpenApiContract> {
  contract ??= contractOf((await request(t.app).get('/openapi.json')).text);
  return contract;
}

/** A client with a new key of the organisation (a new organisation when none is given). */
export async function keyClient(
  t: TestApp,
  options: { organisation?: Organisation; environment?: Environment; role?: ApiKeyRole } = {},
): Promise<KeyClient & { organisation: Organisation }> {
  const em = t.orm.em.fork();
  const organisation = options.organisation ?? (await makeOrganisation(t.keys, em));
  const { secret, apiKey } = await makeKey(t.keys, em, organisation, { environment: options.environment ?? Environment.TEST, role: options.role ?? ApiKeyRole.STANDARD });
  const document = await contractFor(t);
  const auth = (req: request.Test) => req.set('Authorization', `Bearer ${secret}`);
  const checked = (method: string, route: string) => (req: request.Test) => req.expect((res) => document.check(method, route, res));
  return {
    organisation,
    key: secret,
    keyId: apiKey.id,
    start: (body) => checked('POST', '/v1/calls/start')(auth(request(t.app).post('/v1/calls/start')).send(body)),
    end: (body) => checked('POST', '/v1/calls/end')(auth(request(t.app).post('/v1/calls/end')).send(body)),
    exportCustomer: (ref) => checked('GET', CUSTOMER_ROUTE)(auth(request(t.app).get(`/v1/customers/${encodeURIComponent(ref)}`))),
    erase: (ref) => checked('DELETE', CUSTOMER_ROUTE)(auth(request(t.app).delete(`/v1/customers/${encodeURIComponent(ref)}`))),
    async graphql(query, variables) {
      const res = await auth(request(t.app).post('/graphql')).send({ query, variables });
      return res.body;
    },
  };
}

/** The tenant's rows of caller data, counted table by table (what an erase must leave at zero). */
export async function callerRows(t: TestApp, organisationId: string, environment = Environment.TEST): Promise<Record<string, number>> {
  const connection = t.orm.em.getConnection();
  const counts: Record<string, number> = {};
  for (const table of ['customers', 'calls', 'phone_identities', 'external_identities', 'intents', 'variables']) {
    const [row] = await connection.execute<{ n: number | string }[]>(`select count(*) as n from ${table} where organisation_id = ? and environment = ?`, [organisationId, environment]);
    counts[table] = Number(row.n);
  }
  return counts;
}

/** Every text value of the privacy tables, to check that none holds an erased value in clear. */
export async function privacyTableText(t: TestApp): Promise<string> {
  const connection = t.orm.em.getConnection();
  const tombstones = await connection.execute('select * from privacy_tombstones');
  const audit = await connection.execute('select * from privacy_audit');
  return JSON.stringify([tombstones, audit]);
}
