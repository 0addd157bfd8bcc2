/** A call's end records its CSAT score from the configured variable, through the REST shim, on both engines. */
import { sqlOf } from '../../src/db/sql';
import { restClient, type RestClient } from '../support/rest-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

describe.each(ENGINES)('CSAT recorded at call end on %s', (engine) => {
  let t: TestApp;
  let rest: RestClient;
  beforeAll(async () => {
    t = await createTestApp(engine, { METRICS_CSAT_VARIABLE: 'satisfaction' });
    rest = await restClient(t);
  });
  afterAll(() => t.close());

  /** Starts and ends a call with the variables; the score stored on the call. */
  async function scoreOf(callId: string, variables: Record<string, unknown>): Promise<number | null> {
    expect((await rest.post('/v1/calls/start', { call_id: callId, identity_hints: { ani: '+14155550123' } })).status).toBe(200);
    expect((await rest.post('/v1/calls/end', { call_id: callId, variables })).status).toBe(200);
    const row = await sqlOf(t.orm.em.fork()).one<{ csat: number | null }>('select csat from calls where call_id = ?', [callId]);
    return row?.csat == null ? null : Number(row.csat);
  }

  it('records a number from 0 to 100 sent as a JSON number, as text or in the object form', async () => {
    expect(await scoreOf('n1', { satisfaction: 4 })).toBe(4);
    expect(await scoreOf('n2', { satisfaction: ' 4.5 ' })).toBe(4.5);
    expect(await scoreOf('n3', { satisfaction: { value: '0', source: 'ivr' } })).toBe(0);
    expect(await scoreOf('n4', { satisfaction: 100 })).toBe(100);
  });

  it('records nothing for text, booleans, deletions, out-of-range numbers or another variable', async () => {
    expect(await scoreOf('x1', { satisfaction: 'great' })).toBeNull();
    expect(await scoreOf('x2', { satisfaction: true })).toBeNull();
    expect(await scoreOf('x3', { satisfaction: null })).toBeNull();
    expect(await scoreOf('x4', { satisfaction: 101 })).toBeNull();
    expect(await scoreOf('x5', { satisfaction: -1 })).toBeNull();
    expect(await scoreOf('x6', { satisfaction: '1e2' })).toBeNull();
    expect(await scoreOf('x7', { csat: 5 })).toBeNull();
  });
});
