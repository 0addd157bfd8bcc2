/**
 * Text the database cannot store as sent (a NUL, an unpaired UTF-16 surrogate) is refused by the REST shim
 * as a 400 naming the field, in every string of the wire format, keys included, and nothing is written
 * (issue 9, item 9). On PostgreSQL a NUL was a 500 ("invalid byte sequence for encoding UTF8: 0x00");
 * a lone surrogate was stored as U+FFFD, so a later request with the same id hit the unique index: 500.
 */
import { UNSTORABLE_TEXT } from '../../src/shared/text';
import { VARIABLE_NAME_RULE } from '../../src/variables/variable.service';
import { restClient, type RestClient } from '../support/rest-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { writeCounter } from '../support/write-counter';

type Body = Record<string, unknown>;

const POISONS = [
  ['a NUL', '\u0000'],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate', '\udfff'],
] as const;

const START = { identity_hints: { ani: '4155551234', dnis: '4155550000', external_ids: { crm_id: 'crm-9' }, customer_ref: '' } };
const END = { customer_ref: '', identity_hints: { ani: '4155551234' }, intent: 'billing', variables: { name: 'Jo' } };

/** [field, route, body with the poison spliced in, path of the issue, its message]. */
const CASES: [string, 'start' | 'end', (p: string) => Body, (p: string) => (string | number)[], string][] = [
  ['call_id', 'start', (p) => ({ ...START, call_id: `c${p}1` }), () => ['call_id'], UNSTORABLE_TEXT],
  ['identity_hints.ani', 'start', (p) => ({ ...START, identity_hints: { ...START.identity_hints, ani: `41555${p}51234` } }), () => ['identity_hints', 'ani'], UNSTORABLE_TEXT],
  ['identity_hints.dnis', 'start', (p) => ({ ...START, identity_hints: { ...START.identity_hints, dnis: `${p}4155550000` } }), () => ['identity_hints', 'dnis'], UNSTORABLE_TEXT],
  ['identity_hints.customer_ref', 'start', (p) => ({ ...START, identity_hints: { ...START.identity_hints, customer_ref: p } }), () => ['identity_hints', 'customer_ref'], UNSTORABLE_TEXT],
  ['an external id value', 'start', (p) => ({ ...START, identity_hints: { ...START.identity_hints, external_ids: { crm_id: `crm-${p}` } } }), () => ['identity_hints', 'external_ids', 'crm_id'], UNSTORABLE_TEXT],
  ['an external id key', 'start', (p) => ({ ...START, identity_hints: { ...START.identity_hints, external_ids: { [`crm${p}`]: 'crm-9' } } }), (p) => ['identity_hints', 'external_ids', `crm${p}`], UNSTORABLE_TEXT],
  ['the top-level ani alias', 'start', (p) => ({ ani: `4155551234${p}` }), () => ['ani'], UNSTORABLE_TEXT],
  ['intent', 'end', (p) => ({ ...END, intent: `bill${p}ing` }), () => ['intent'], UNSTORABLE_TEXT],
  ['a variable value', 'end', (p) => ({ ...END, variables: { name: `Jo${p}` } }), () => ['variables', 'name'], UNSTORABLE_TEXT],
  ['a variable object value', 'end', (p) => ({ ...END, variables: { name: { value: `Jo${p}` } } }), () => ['variables', 'name', 'value'], UNSTORABLE_TEXT],
  ['a variable source', 'end', (p) => ({ ...END, variables: { name: { value: 'Jo', source: `crm${p}` } } }), () => ['variables', 'name', 'source'], UNSTORABLE_TEXT],
  ['a variable name', 'end', (p) => ({ ...END, variables: { [`na${p}me`]: 'Jo' } }), (p) => ['variables', `na${p}me`], VARIABLE_NAME_RULE],
];

describe.each(ENGINES)('REST refuses text the database cannot store on %s', (engine) => {
  let t: TestApp;
  let api: RestClient;
  let writes: () => Promise<number>;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(engine);
    api = await restClient(t);
    writes = await writeCounter(t.orm, engine);
  });
  afterAll(() => t.close());

  const cases = CASES.flatMap(([field, route, body, path, message]) =>
    POISONS.map(([poison, p]) => [field, poison, route, body(p), path(p), message] as const),
  );

  it.each(cases)('answers 400 at the field for %s holding %s, writing nothing', async (_field, _poison, route, body, path, message) => {
    const before = await writes();
    // Sent as JSON escapes, the way a client's JSON encoder writes them.
    const res = await api.post(`/v1/calls/${route}`, { call_id: `u-${++n}`, ...body });
    expect([res.status, res.body]).toEqual([400, { error: 'Bad Request', message: 'Validation failed', details: { issues: [{ path, message }] } }]);
    expect(await writes()).toBe(before);
  });

  it('refuses a NUL arriving percent-encoded in a form body', async () => {
    const res = await api.post('/v1/calls/start', 'call_id=form%001&ani=4155551234', 'application/x-www-form-urlencoded');
    expect([res.status, res.body.details]).toEqual([400, { issues: [{ path: ['call_id'], message: UNSTORABLE_TEXT }] }]);
  });

  it('ignores a NUL in a field it does not read, like any unknown field', async () => {
    const res = await api.post('/v1/calls/start', { call_id: 'u-unknown-field', ani: '4155551234', note: 'x\u0000' });
    expect(res.status).toBe(200);
  });

  it('stores surrogate pairs (emoji) and other scripts exactly as sent', async () => {
    const started = await api.post('/v1/calls/start', { call_id: 'u-emoji-1', identity_hints: { ani: '4155557777', external_ids: { email: 'zoë@例え.jp' } } });
    const ref = started.body.customer_ref;
    const ended = await api.post('/v1/calls/end', { call_id: 'u-emoji-1', customer_ref: ref, variables: { name: 'Zoë 😀' } });
    expect(ended.status).toBe(200);
    const again = await api.post('/v1/calls/start', { call_id: 'u-emoji-2', identity_hints: { external_ids: { email: 'zoë@例え.jp' } } });
    expect([again.body.customer_ref, again.body.variables.name.value]).toEqual([ref, 'Zoë 😀']);
  });
});
