/** Helpers of the request-log tests: keys, raw requests, the stored rows, and the bodies setting. */
import request from 'supertest';

import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import type { Organisation } from '../../src/tenancy/organisation.entity';
import { makeKey, makeOrganisation } from '../support/factories';
import type { TestApp } from '../support/test-app';

/** One key of an organisation, sending raw requests. */
export interface LogClient {
  organisation: Organisation;
  keyId: string;
  key: string;
  post(path: string, body: unknown): request.Test;
  get(path: string): request.Test;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON whose shape each test's query decides
  graphql(query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: { message: string; extensions?: Record<string, any> }[] }>;
}

/** A client with a new key (of a new organisation unless one is given). */
export async function logClient(t: TestApp, options: { organisation?: Organisation; environment?: Environment; role?: ApiKeyRole } = {}): Promise<LogClient> {
  const em = t.orm.em.fork();
  const organisation = options.organisation ?? (await makeOrganisation(t.keys, em));
  const { secret, apiKey } = await makeKey(t.keys, em, organisation, { environment: options.environment ?? Environment.TEST, role: options.role });
  const auth = (req: request.Test) => req.set('Authorization', `Bearer ${secret}`);
  return {
    organisation,
    keyId: apiKey.id,
    key: secret,
    post: (path, body) => auth(request(t.app).post(path)).set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body)),
    get: (path) => auth(request(t.app).get(path)),
    async graphql(query, variables) {
      return (await auth(request(t.app).post('/graphql')).send({ query, variables })).body;
    },
  };
}

/** A stored entry, as read back raw. */
export interface StoredEntry {
  organisation_id: string;
  environment: string;
  route: string;
  method: string;
  status: number;
  latency_ms: number;
  call_id: string | null;
  request_id: string;
  key_id: string;
  error_code: string | null;
  issues: string | null;
  request_body: string | null;
  response_body: string | null;
}

/** Writes what is queued, then reads every stored entry of the organisation (all when none is given), oldest first. */
export async function storedEntries(t: TestApp, organisationId?: string): Promise<StoredEntry[]> {
  await t.requestLog.flush();
  const connection = t.orm.em.getConnection();
  const rows = organisationId
    ? await connection.execute<StoredEntry[]>('select * from api_requests where organisation_id = ? order by at, id', [organisationId])
    : await connection.execute<StoredEntry[]>('select * from api_requests order by at, id');
  return rows.map((row: StoredEntry) => ({ ...row, status: Number(row.status) }));
}

/** Turns the organisation's kept bodies on or off (what the admin mutation sets) and forgets the cached setting. */
export async function setLogBodies(t: TestApp, organisationId: string, on: boolean): Promise<void> {
  const value = t.database.engine === 'sqlite' ? Number(on) : on;
  await t.orm.em.getConnection().execute('update organisations set log_bodies = ? where id = ?', [value, organisationId]);
  t.services.limits.forget(organisationId);
}

/** The counter of request-log entries by outcome. */
export async function entriesCounted(t: TestApp, outcome: 'written' | 'dropped'): Promise<number> {
  const metric = await t.services.telemetry.requestLogEntries.get();
  return metric.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

/** An entry row as the capture builds it (no bodies). */
export function entryRow(organisationId: string, at: Date, callId: string) {
  return {
    organisationId,
    environment: Environment.TEST,
    at,
    keyId: '0199a3b2-7c1d-7e00-8000-000000000001',
    method: 'POST',
    route: '/v1/calls/start',
    status: 200,
    latencyMs: 1.5,
    callId,
    requestId: `req-${callId}`,
    errorCode: null,
    issues: null,
  };
}
