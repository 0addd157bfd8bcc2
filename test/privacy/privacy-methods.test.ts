/** Methods on /v1/customers/{ref} beyond GET and DELETE, over real HTTP: none exports, erases or audits. */
import request from 'supertest';

import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { callerRows, keyClient } from './privacy-client';

describe.each(ENGINES)('other methods on /v1/customers/{ref} on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());

  it('answers HEAD 405 with Allow: GET, DELETE, without an export or an audit entry', async () => {
    const client = await keyClient(t);
    const admin = await keyClient(t, { organisation: client.organisation as never, role: ApiKeyRole.ADMIN });
    const started = await client.start({ call_id: 'head-1', identity_hints: { ani: '+14155550142' } }).expect(200);
    const ref = started.body.customer_ref as string;
    const before = await callerRows(t, client.organisation.id);

    const head = await request(t.app).head(`/v1/customers/${ref}`).set('Authorization', `Bearer ${client.key}`);
    expect(head.status).toBe(405);
    expect(head.headers.allow).toBe('GET, DELETE');

    const audit = await admin.graphql('{ privacyAudit { totalCount } }');
    expect(audit.data.privacyAudit.totalCount).toBe(0);
    expect(await callerRows(t, client.organisation.id)).toEqual(before);
  });
});
