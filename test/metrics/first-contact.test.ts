/** First-contact resolution by intents, from calls recorded through the REST shim, on both engines. */
import { ManualClock } from '../../src/shared/clock';
import { restClient, type RestClient } from '../support/rest-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(ENGINES)('first-contact resolution on %s', (engine) => {
  const clock = new ManualClock(new Date('2026-03-02T09:00:00.000Z'));
  let t: TestApp;
  let rest: RestClient;
  beforeAll(async () => {
    t = await createTestApp(engine, {}, clock);
    rest = await restClient(t);
  });
  afterAll(() => t.close());

  async function call(callId: string, ani: string, intent: Record<string, string>, lengthMs = HOUR): Promise<void> {
    expect((await rest.post('/v1/calls/start', { call_id: callId, identity_hints: { ani } })).status).toBe(200);
    clock.advance(lengthMs);
    expect((await rest.post('/v1/calls/end', { call_id: callId, ...intent })).status).toBe(200);
  }

  it('counts an intent raised open on one call and resolved on a later one as not first contact, unless the later one is a transfer leg', async () => {
    await call('a1', '+14155550101', { intent: 'refund', intent_status: 'open' });
    await call('a2', '+14155550101', { intent: 'refund', intent_status: 'resolved' });
    await call('b1', '+14155550102', { intent: 'refund', intent_status: 'resolved' });
    // A transfer: the first leg raises the intent, the second, minutes later, resolves it; one contact.
    await call('c1', '+14155550103', { intent: 'refund', intent_status: 'open' }, 3 * MINUTE);
    await call('c2', '+14155550103', { intent: 'refund', intent_status: 'resolved' }, 4 * MINUTE);

    const { organisationId, environment } = await t.keys.authenticate(t.orm.em.fork(), rest.key);
    const period = { from: '2026-03-02', to: '2026-03-02' };
    const { current } = await t.services.metrics.report(t.orm.em.fork(), { organisationId, environment }, { period });
    expect(current.firstContactResolution).toMatchObject({ resolvedIntents: 3, resolvedFirstAttempt: 2, rate: 2 / 3 });
  });
});
