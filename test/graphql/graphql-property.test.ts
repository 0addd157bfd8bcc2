/**
 * Property: whatever a client sends to /graphql, the answer is never a 5xx; it is data, or an errors
 * array whose every `extensions.code` is a known client code (never INTERNAL_SERVER_ERROR); and a request
 * answered with errors wrote nothing. Requests call every query and mutation with hostile strings (NUL,
 * lone surrogates) in any argument, forged cursors and odd dates, under wrong operation types, batches,
 * persisted-query extensions, malformed envelopes, assorted content types and content encodings.
 */
import fc from 'fast-check';

import { graphqlClient } from '../support/graphql-client';
import { graphqlRequests, type Known } from '../support/hostile-graphql';
import { bodyEncoding, encodeBody, type BodyEncoding } from '../support/hostile-input';
import { httpDriver, type HttpDriver } from '../support/http-driver';
import { graphqlViolation } from '../support/property-invariants';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { writeCounter } from '../support/write-counter';

/** Cases per engine (PROPERTY_RUNS overrides it for a longer local run). */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 6_000);

/** One request on the wire. */
interface WireCase {
  method: 'POST' | 'GET';
  body: unknown;
  contentType: string | undefined;
  encoding: BodyEncoding;
  preflight: boolean;
}

// Mostly JSON: other labels stop at the body parser or Apollo's CSRF check (a GET with the key passes it).
const contentType = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
  { weight: 2, arbitrary: fc.constantFrom('text/plain', 'application/graphql', 'application/x-www-form-urlencoded', undefined, 'application/json; charset=latin1') },
);

function wire(known: Known): fc.Arbitrary<WireCase> {
  return fc.record({
    method: fc.oneof({ weight: 20, arbitrary: fc.constant('POST' as const) }, { weight: 1, arbitrary: fc.constant('GET' as const) }),
    body: graphqlRequests(known),
    contentType,
    encoding: bodyEncoding,
    preflight: fc.boolean(),
  });
}

/** A GET carries the envelope in the query string, as Apollo reads it. */
function getPath(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return '/graphql';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    if (value !== undefined) params.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `/graphql?${params}`;
}

describe.each(ENGINES)('/graphql under hostile input on %s', (engine) => {
  let t: TestApp;
  let http: HttpDriver;
  let key: string;
  let writes: () => Promise<number>;
  let last: number | undefined;
  const known: Known = { refs: [], callIds: [], cursors: [] };

  beforeAll(async () => {
    // Thousands of requests of one organisation within a minute: over the default rate limit (6000/min), which this file does not test.
    t = await createTestApp(engine, { RATE_LIMIT_PER_MINUTE: '0' });
    const client = await graphqlClient(t);
    key = client.key;
    http = await httpDriver(t.app);
    writes = await writeCounter(t.orm, engine);
    for (let i = 0; i < 4; i++) {
      const data = await client.data(
        'mutation($input: StartCallInput!) { startCall(input: $input) { customer { ref } } }',
        { input: { callId: `seed-${i}`, hints: { ani: `415555120${i}`, externalIds: [{ key: 'crm_id', value: `crm-${i}` }] } } },
      );
      known.refs.push(data.startCall.customer.ref);
      known.callIds.push(`seed-${i}`);
    }
    const pages = await client.data('{ customers(first: 2) { pageInfo { endCursor } } calls(first: 1) { pageInfo { endCursor } } intents { totalCount } }');
    known.cursors.push(pages.customers.pageInfo.endCursor, pages.calls.pageInfo.endCursor);
  });
  afterAll(async () => {
    await http?.close();
    await t?.close();
  });

  /** Sends one case; resolves to the broken invariant, if any. */
  const violation = async (c: WireCase): Promise<string | undefined> => {
    const before = last ?? (await writes());
    last = undefined;
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...(c.preflight ? { 'apollo-require-preflight': 'true' } : {}) };
    let answer;
    if (c.method === 'GET') {
      answer = await http.send('GET', getPath(c.body), headers);
    } else {
      const { body, headers: encoding } = encodeBody(JSON.stringify(c.body) ?? '', c.encoding);
      answer = await http.send('POST', '/graphql', { ...headers, ...(c.contentType ? { 'content-type': c.contentType } : {}), ...encoding }, body);
    }
    last = await writes();
    return graphqlViolation(answer, last !== before);
  };

  it('never answers 5xx or an unknown error code, and a request answered with errors writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(wire(known), async (c) => {
        const broken = await violation(c);
        if (broken) throw new Error(broken);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
