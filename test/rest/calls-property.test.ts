/**
 * Property: whatever a client posts to the shim, the answer is 200 or a documented 4xx in the error shape,
 * never a 5xx, and a refusal writes nothing. Bodies are mostly well-formed (so they reach the database)
 * with hostile strings spliced into any field (NUL, lone surrogates), values of the wrong type, sent as
 * JSON or forms under assorted labels, and under Content-Encodings that are or are not what they say.
 */
import fc from 'fast-check';
import { stringify as formEncode } from 'qs';

import { bodyEncoding, encodeBody, field, junkValue, poisoned, type BodyEncoding } from '../support/hostile-input';
import { httpDriver, type HttpDriver } from '../support/http-driver';
import { restViolation } from '../support/property-invariants';
import { restClient } from '../support/rest-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { writeCounter } from '../support/write-counter';

/** Cases per route and engine (PROPERTY_RUNS overrides it for a longer local run). */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 6_000);

const token = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 1, maxLength: 16 });
const phone = fc.constantFrom('4155551234', '(415) 555-1235', '+1 415 555 1236', '+44 20 7946 0958', 'anonymous', '0000000000', '12', '');
const lineType = fc.constantFrom('mobile', 'landline', 'voip', 'unknown', 'MOBILE', 'satellite');
const idKey = fc.constantFrom('crm_id', 'email', 'account', 'five9_call_id', 'Crm_Id');
const idValue = fc.constantFrom('crm-1', 'crm-2', 'a@example.com', '42', 'acct 7');
const varName = fc.constantFrom('name', 'summary', 'notes', 'tier', 'lang', 'a.b-c_d');
const text = fc.oneof(fc.constantFrom('John Doe', 'gold', 'fr', 'refund pending', '', '@Call.notes@'), fc.string({ maxLength: 30 }));

/** `usual` nearly always, `odd` now and then. */
const mostly = <T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: usual }, { weight: 1, arbitrary: odd });

/** Absent now and then (JSON and forms leave undefined out). */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, absentOneIn = 3) => fc.option(arbitrary, { nil: undefined, freq: absentOneIn });

/** The request arbitraries over refs and call ids that exist in the database. */
function bodies(refs: string[], callIds: string[]) {
  const ref = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...refs) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.constant('') });
  const callId = fc.oneof({ weight: 4, arbitrary: token.map((t) => `c-${t}`) }, { weight: 1, arbitrary: fc.constantFrom(...callIds, 'dup-1', 'dup-2') });
  const externalIds = mostly<unknown>(fc.dictionary(mostly(idKey, poisoned(idKey)), field(idValue, junkValue), { maxKeys: 3 }), junkValue);
  const hints = fc.record({
    ani: sometimes(field(phone, junkValue), 4),
    dnis: sometimes(field(phone, junkValue)),
    external_ids: sometimes(externalIds),
    customer_ref: sometimes(field(ref, junkValue)),
  });
  const telco = sometimes(mostly<unknown>(fc.record({ line_type: field(lineType, junkValue) }), junkValue), 2);
  const callIdField = fc.option(field(callId, junkValue), { nil: undefined, freq: 20 });
  const start = fc.oneof(
    { weight: 3, arbitrary: fc.record({ call_id: callIdField, identity_hints: mostly<unknown>(hints, junkValue), telco }) },
    { weight: 1, arbitrary: fc.tuple(fc.record({ call_id: callIdField, telco }), hints).map(([body, aliases]) => ({ ...body, ...aliases })) },
  );
  const variableValue = fc.oneof(
    { weight: 6, arbitrary: field(text, junkValue) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)) },
    {
      weight: 1,
      arbitrary: fc.record({
        value: field(text, junkValue),
        ttl_seconds: sometimes(mostly<unknown>(fc.integer({ min: 1, max: 1_000_000 }), junkValue)),
        source: sometimes(field(fc.constantFrom('crm', 'agent'), junkValue)),
      }),
    },
  );
  const variables = mostly<unknown>(fc.dictionary(mostly(varName, poisoned(varName)), variableValue, { maxKeys: 4 }), junkValue);
  const end = fc.record({
    call_id: fc.option(field(fc.oneof(fc.constantFrom(...callIds), callId), junkValue), { nil: undefined, freq: 20 }),
    customer_ref: sometimes(field(ref, junkValue)),
    identity_hints: sometimes(hints),
    intent: sometimes(field(fc.constantFrom('Refund Request', 'billing', 'cancel'), junkValue)),
    intent_status: sometimes(field(fc.constantFrom('open', 'resolved', 'abandoned'), junkValue), 2),
    intent_is_open: sometimes(mostly<unknown>(fc.boolean(), field(fc.constantFrom('true', 'false'), junkValue)), 2),
    variables: sometimes(variables),
  });
  return { start, end };
}

/** One request on the wire: its text, labels and encoding. */
interface WireCase {
  text: string;
  contentType: string | undefined;
  encoding: BodyEncoding;
  query: string;
}

// Mostly the documented label; the others are what platforms send (contract §1) and what they must not.
const jsonLabel = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', undefined, 'application/json; charset=latin1', 'application/json; charset=bogus') },
);
const formLabel = fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', undefined, 'text/plain');

function wire(body: fc.Arbitrary<object>): fc.Arbitrary<WireCase> {
  const shaped = fc.oneof(
    { weight: 12, arbitrary: fc.tuple(body.map((b) => JSON.stringify(b)), jsonLabel) },
    { weight: 3, arbitrary: fc.tuple(body.map((b) => formEncode(b, { allowDots: false })), formLabel) },
    { weight: 1, arbitrary: fc.tuple(body.map((b) => JSON.stringify(b).slice(0, -3)), jsonLabel) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('[]', '"str"', 'a=b=c&&', 'call_id=%00&ani=%ED%A0%80')), jsonLabel) },
  );
  return fc
    .tuple(shaped, bodyEncoding, fc.constantFrom('', '', '', '?format=flat'))
    .map(([[text, contentType], encoding, query]) => ({ text, contentType, encoding, query }));
}

describe.each(ENGINES)('REST shim under hostile input on %s', (engine) => {
  let t: TestApp;
  let http: HttpDriver;
  let key: string;
  let writes: () => Promise<number>;
  let last: number | undefined;
  const refs: string[] = [];
  const callIds: string[] = [];

  beforeAll(async () => {
    // Thousands of requests of one organisation within a minute: over the default rate limit (6000/min), which this file does not test.
    t = await createTestApp(engine, { RATE_LIMIT_PER_MINUTE: '0' });
    key = (await restClient(t)).key;
    http = await httpDriver(t.app);
    writes = await writeCounter(t.orm, engine);
    for (let i = 0; i < 4; i++) {
      const answer = await http.send('POST', '/v1/calls/start', { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, JSON.stringify({ call_id: `seed-${i}`, identity_hints: { ani: `415555120${i}`, external_ids: { crm_id: `crm-${i}` } } }));
      refs.push(JSON.parse(answer.text).customer_ref);
      callIds.push(`seed-${i}`);
    }
  });
  afterAll(async () => {
    await http?.close();
    await t?.close();
  });

  /** Sends one case; resolves to the broken invariant, if any. */
  const violation = async (path: string, c: WireCase): Promise<string | undefined> => {
    const before = last ?? (await writes());
    last = undefined;
    const { body, headers } = encodeBody(c.text, c.encoding);
    const answer = await http.send('POST', path + c.query, { authorization: `Bearer ${key}`, ...(c.contentType ? { 'content-type': c.contentType } : {}), ...headers }, body);
    last = await writes();
    return restViolation(answer, last !== before);
  };

  it.each(['start', 'end'] as const)('never answers 5xx on /v1/calls/%s, always in the error shape, and a refusal writes nothing', async (route) => {
    const arbitrary = wire(bodies(refs, callIds)[route] as fc.Arbitrary<object>);
    await fc.assert(
      fc.asyncProperty(arbitrary, async (c) => {
        const broken = await violation(`/v1/calls/${route}`, c);
        if (broken) throw new Error(broken);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
