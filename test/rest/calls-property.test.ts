/**
 * Property: whatever a client posts to the shim, the answer is 200 or a documented 4xx in the error shape,
 * never a 500, and a 4xx writes nothing.
 */
import fc from 'fast-check';

import { restClient, type RestClient } from '../support/rest-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const RUNS = 1000;
const ERROR_STATUSES = [400, 409, 413];

const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', ' ', 'null', '{{x}}', '$(call.ani)', 'anonymous', '4155551234', '+44 20 7946 0958', 'sk_test_x'));
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const hints = fc.record(
  { ani: maybe(value), dnis: maybe(value), external_ids: maybe(fc.oneof(value, fc.dictionary(fc.constantFrom('crm_id', 'email', 'five9_call_id', ''), scalar))), customer_ref: maybe(value) },
  { requiredKeys: [] },
);
const startBody = fc.record(
  { call_id: maybe(fc.oneof(value, fc.string({ minLength: 250, maxLength: 260 }))), identity_hints: maybe(fc.oneof(hints, value)), ani: maybe(value), telco: maybe(fc.oneof(value, fc.record({ line_type: value }))) },
  { requiredKeys: [] },
);
const endBody = fc.record(
  {
    call_id: maybe(value),
    customer_ref: maybe(value),
    identity_hints: maybe(fc.oneof(hints, value)),
    intent: maybe(value),
    intent_status: maybe(fc.oneof(value, fc.constantFrom('open', 'resolved', 'abandoned'))),
    intent_is_open: maybe(value),
    variables: maybe(fc.oneof(value, fc.dictionary(fc.string({ maxLength: 70 }), value, { maxKeys: 5 }))),
  },
  { requiredKeys: [] },
);
/** Raw bodies: JSON of the above, broken JSON, forms, garbage, under assorted content types. */
const raw = (body: fc.Arbitrary<object>) =>
  fc.tuple(
    fc.oneof(
      body.map((b) => JSON.stringify(b)),
      body.map((b) => JSON.stringify(b).slice(0, -3)),
      fc.string({ maxLength: 60 }),
      fc.constantFrom('call_id=a&ani=4155551234', 'call_id[x]=1&identity_hints=2', '[]', '"str"', '{"call_id":"a"}', 'a=b=c&&'),
    ),
    fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/xml', 'application/json; charset=latin1'),
  );

describe.each(ENGINES)('REST shim robustness on %s', (engine) => {
  let t: TestApp;
  let api: RestClient;

  beforeAll(async () => {
    t = await createTestApp(engine);
    api = await restClient(t);
  });
  afterAll(() => t.close());

  const rows = async () => {
    const [row] = await t.orm.em
      .getConnection()
      .execute('select (select count(*) from calls) + (select count(*) from customers) + (select count(*) from intents) + (select count(*) from variables) + (select count(*) from phone_identities) + (select count(*) from external_identities) as n');
    return Number(row.n);
  };

  const check = async (path: string, body: string, contentType: string) => {
    const before = await rows();
    const res = await api.post(path, body, contentType);
    if (res.status === 200) return;
    expect(ERROR_STATUSES).toContain(res.status);
    expect(typeof res.body.error).toBe('string');
    expect(typeof res.body.message).toBe('string');
    if (res.body.details) {
      expect(res.body.details.issues.length).toBeGreaterThan(0);
      for (const issue of res.body.details.issues) {
        expect(Array.isArray(issue.path)).toBe(true);
        expect(typeof issue.message).toBe('string');
      }
    }
    expect(await rows()).toBe(before);
  };

  it.each([
    ['/v1/calls/start', startBody],
    ['/v1/calls/end', endBody],
  ] as const)('never answers 500 to random bodies on %s, and a 4xx writes nothing', async (path, body) => {
    await fc.assert(
      fc.asyncProperty(raw(body as fc.Arbitrary<object>), ([payload, contentType]) => check(path, payload, contentType)),
      { numRuns: RUNS },
    );
  }, 120_000);
});
