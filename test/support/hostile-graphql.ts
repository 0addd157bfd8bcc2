/**
 * fast-check arbitraries for hostile /graphql requests: every query and mutation of the schema with
 * hostile strings in any argument (passed as variables or written inline), forged cursors, odd dates,
 * wrong operation types (subscription, a mutation field under query), several operations and operation
 * names, several mutations in one operation (refused), batched arrays, persisted-query extensions with and
 * without a real hash, malformed envelopes.
 */
import { createHash } from 'node:crypto';

import fc from 'fast-check';

import { craftedCursor, field, junkValue, poisoned } from './hostile-input';

/** An enum value: a bare name inline, a string in variables. */
class EnumValue {
  constructor(readonly name: string) {}
}

/** What the generated requests may refer to: rows that exist, so that writes and reads reach the database. */
export interface Known {
  refs: string[];
  callIds: string[];
  cursors: string[];
}

/** One argument: its name, GraphQL type and value (undefined leaves it out). */
type Arg = [name: string, type: string, value: unknown];

/** One root field to call. */
interface FieldCall {
  kind: 'query' | 'mutation';
  field: string;
  args: Arg[];
  selection: string;
}

/** A value written as a GraphQL literal (undefined fields left out). */
function literal(value: unknown): string {
  if (value instanceof EnumValue) return value.name;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${fields.map(([k, v]) => `${k}: ${literal(v)}`).join(', ')}}`;
  }
  if (value === undefined) return 'null';
  return JSON.stringify(value) ?? 'null';
}

/** The same value as JSON variables carry it. */
function variableValue(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v instanceof EnumValue ? v.name : v)) ?? 'null');
}

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const enumOf = (...names: string[]) => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...names).map((n) => new EnumValue(n)) }, { weight: 1, arbitrary: fc.constantFrom('mobile', 'NOPE', '') });
const phone = fc.constantFrom('4155551234', '(415) 555-1235', '+44 20 7946 0958', 'anonymous', '');
const date = fc.constantFrom('2026-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '+275760-09-13T00:00:00Z', 'not a date', '2026-13-45T99:00:00Z', '1969-12-31T23:59:59Z');
const first = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 100 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 101, 2 ** 31 - 1) });
const label = fc.constantFrom('Refund Request', 'billing', 'cancel');
const varName = fc.constantFrom('name', 'summary', 'tier', 'a.b-c_d');
const text = fc.oneof(fc.constantFrom('John Doe', 'gold', ''), fc.string({ maxLength: 20 }));

/** The root-field calls over the rows in `known`. */
function fieldCalls(known: Known): fc.Arbitrary<FieldCall> {
  const ref = field(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...known.refs) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.constant('') }));
  const callId = field(fc.oneof(fc.constantFrom(...known.callIds), fc.string({ unit: fc.constantFrom(...'abcdef0123456789-'), minLength: 1, maxLength: 12 }).map((s) => `g-${s}`)));
  const cursor = maybe(craftedCursor(fc.constantFrom(...known.cursors)));
  const externalId = fc.record({ key: field(fc.constantFrom('crm_id', 'email', 'five9_call_id')), value: field(fc.constantFrom('crm-1', 'crm-2', 'a@example.com')) });
  const hints = fc.record(
    { ani: maybe(field(phone)), dnis: maybe(field(phone)), externalIds: maybe(fc.array(externalId, { maxLength: 3 })), customerRef: maybe(ref), lineType: maybe(enumOf('MOBILE', 'LANDLINE', 'VOIP', 'UNKNOWN')) },
    { requiredKeys: [] },
  );
  const variable = fc.record(
    { name: field(varName), value: fc.oneof(field(text), fc.constant(null)), ttlSeconds: maybe(fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(0, -5, 2 ** 31 - 1))), source: maybe(field(fc.constantFrom('crm', 'agent'))) },
    { requiredKeys: ['name', 'value'] },
  );
  const identity = fc.record({ ani: maybe(field(phone)), externalId: maybe(externalId), lineType: maybe(enumOf('MOBILE', 'VOIP')) }, { requiredKeys: [] });
  const status = enumOf('OPEN', 'RESOLVED', 'ABANDONED');
  // A nested page in a mutation's answer: a bad `first` there must not leave the mutation half done.
  const nested = fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: first.map((n) => ` calls(first: ${n}) { totalCount }`) });
  const call = (kind: FieldCall['kind'], name: string, args: fc.Arbitrary<Arg[]>, selection: fc.Arbitrary<string>) =>
    fc.tuple(args, selection).map(([a, s]): FieldCall => ({ kind, field: name, args: a, selection: s }));
  const page = (filter: string, filterArb: fc.Arbitrary<unknown>) => fc.tuple(maybe(first), cursor, maybe(filterArb)).map(([f, c, fl]): Arg[] => [['first', 'Int', f], ['after', 'String', c], ['filter', filter, fl]]);

  return fc.oneof(
    call('mutation', 'startCall', fc.record({ callId, hints }).map((input): Arg[] => [['input', 'StartCallInput!', input]]), nested.map((n) => `{ replayed customer { ref${n} } identification { confidence sources } }`)),
    call(
      'mutation',
      'endCall',
      fc
        .record({ callId, customerRef: maybe(ref), hints: maybe(hints), intent: maybe(field(label)), intentStatus: maybe(status), variables: maybe(fc.array(variable, { maxLength: 3 })) }, { requiredKeys: ['callId'] })
        .map((input): Arg[] => [['input', 'EndCallInput!', input]]),
      nested.map((n) => `{ replayed intentsUpdated variablesUpdated customer { ref${n} } }`),
    ),
    call('mutation', 'setVariables', fc.tuple(ref, fc.array(variable, { maxLength: 3 })).map(([r, v]): Arg[] => [['customerRef', 'ID!', r], ['variables', '[VariableInput!]!', v]]), nested.map((n) => `{ variablesUpdated customer { ref${n} } }`)),
    call('mutation', 'linkIdentity', fc.tuple(ref, identity).map(([r, i]): Arg[] => [['customerRef', 'ID!', r], ['identity', 'IdentityInput!', i]]), nested.map((n) => `{ ref${n} }`)),
    call('mutation', 'unlinkIdentity', fc.tuple(ref, identity).map(([r, i]): Arg[] => [['customerRef', 'ID!', r], ['identity', 'IdentityInput!', i]]), fc.constant('{ ref }')),
    call('mutation', 'deleteVariable', fc.tuple(ref, field(varName)).map(([r, n]): Arg[] => [['customerRef', 'ID!', r], ['name', 'String!', n]]), fc.constant('{ deleted }')),
    call('mutation', 'updateIntent', fc.tuple(ref, field(label), status).map(([r, n, s]): Arg[] => [['customerRef', 'ID!', r], ['name', 'String!', n], ['status', 'IntentStatus!', s]]), fc.constant('{ name status attemptCount }')),
    call('mutation', 'mergeCustomers', fc.tuple(ref, ref).map(([s, t]): Arg[] => [['sourceRef', 'ID!', s], ['targetRef', 'ID!', t]]), fc.constant('{ ref }')),
    call(
      'query',
      'customers',
      page('CustomerFilterInput', fc.record({ ani: maybe(field(phone)), externalId: maybe(externalId), variable: maybe(fc.record({ name: field(varName), value: maybe(field(text)) })), openIntent: maybe(field(label)), lastCallAfter: maybe(date), lastCallBefore: maybe(date) }, { requiredKeys: [] })),
      fc.tuple(maybe(first), cursor).map(([f, c]) => {
        const args = [f === undefined ? '' : `first: ${f}`, c === undefined ? '' : `after: ${literal(c)}`].filter(Boolean).join(', ');
        return `{ totalCount pageInfo { endCursor } edges { cursor node { ref calls${args ? `(${args})` : ''} { totalCount edges { cursor } } } } }`;
      }),
    ),
    call('query', 'calls', page('CallFilterInput', fc.record({ customerRef: maybe(ref), startedAfter: maybe(date), startedBefore: maybe(date), intent: maybe(field(label)) }, { requiredKeys: [] })), fc.constant('{ totalCount edges { cursor node { callId } } }')),
    call('query', 'intents', page('IntentFilterInput', fc.record({ customerRef: maybe(ref), name: maybe(field(label)), status: maybe(status) }, { requiredKeys: [] })), fc.constant('{ totalCount edges { cursor node { name } } }')),
    call('query', 'customer', fc.tuple(ref).map(([r]): Arg[] => [['ref', 'ID!', r]]), cursor.map((c) => `{ ref calls(first: 2${c === undefined ? '' : `, after: ${literal(c)}`}) { edges { cursor } } }`)),
    call('query', 'customerByIdentity', identity.map((i): Arg[] => [['identity', 'IdentityInput!', i]]), fc.constant('{ ref }')),
    call('query', 'call', callId.map((c): Arg[] => [['callId', 'ID!', c]]), fc.constant('{ callId customer { ref } }')),
  );
}

/** One GraphQL request envelope (what is JSON-encoded into the body). */
type Envelope = Record<string, unknown>;

/** The field call with its arguments written inline. */
function inlineCall(call: FieldCall): string {
  const args = call.args
    .filter(([, , value]) => value !== undefined)
    .map(([n, , v]) => `${n}: ${literal(v)}`)
    .join(', ');
  return `${call.field}${args ? `(${args})` : ''} ${call.selection}`;
}

/** A document and variables for one field call, with its arguments inline or as variables. */
function envelope(call: FieldCall, inline: boolean, keyword: string, name: string | undefined): Envelope {
  const given = call.args.filter(([, , value]) => value !== undefined);
  const head = `${keyword}${name ? ` ${name}` : ''}`;
  if (inline) return { query: `${head} { ${inlineCall(call)} }` };
  const defs = given.map(([n, type]) => `$${n}: ${type}`).join(', ');
  const args = given.map(([n]) => `${n}: $${n}`).join(', ');
  return {
    query: `${head}${defs ? `(${defs})` : ''} { ${call.field}${args ? `(${args})` : ''} ${call.selection} }`,
    variables: Object.fromEntries(given.map(([n, , v]) => [n, variableValue(v)])),
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Operation-level mutations of a well-formed envelope. */
function mutateEnvelope(base: Envelope): fc.Arbitrary<unknown> {
  const query = String(base.query);
  return fc.oneof(
    { weight: 60, arbitrary: fc.constant(base) },
    // Persisted queries: a real hash, a hash that is not one, a hash without the query.
    {
      weight: 2,
      arbitrary: fc
        .record({
          version: fc.constantFrom(1, 1, 2, '1', undefined),
          sha256Hash: fc.oneof(fc.constant(sha256(query)), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), poisoned(fc.constantFrom('abc', sha256(query))), junkValue),
          withQuery: fc.boolean(),
        })
        .map(({ version, sha256Hash, withQuery }) => ({ ...base, query: withQuery ? query : undefined, extensions: { persistedQuery: { version, sha256Hash } } })),
    },
    { weight: 2, arbitrary: fc.array(fc.constant(base), { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>([], {}, null, 'x', 7) },
    { weight: 1, arbitrary: fc.record({ query: fc.oneof(poisoned(fc.constant(query)), fc.string({ maxLength: 40 }), junkValue) }) },
    { weight: 1, arbitrary: fc.tuple(junkValue, junkValue).map(([variables, operationName]) => ({ ...base, variables, operationName })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(`${query}\nquery Other { viewer { organisation { slug } } }`, `${query}\n${query}`), fc.constantFrom('Other', 'Op', undefined, 'Nope'))
        .map(([q, operationName]) => ({ ...base, query: q, operationName })),
    },
    { weight: 1, arbitrary: fc.constant({ ...base, extensions: 'x' }) },
  );
}

/** Whole /graphql request bodies (before JSON encoding). */
export function graphqlRequests(known: Known): fc.Arbitrary<unknown> {
  const operation = fc
    .record({
      call: fieldCalls(known),
      inline: fc.boolean(),
      keyword: fc.oneof({ weight: 10, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('query', 'mutation', 'subscription') }),
      name: fc.oneof(fc.constant(undefined), fc.constantFrom('Op', 'Op2')),
    })
    .map(({ call, inline, keyword, name }) => envelope(call, inline, keyword || call.kind, name));
  // Several mutations in one operation, aliased, in a root fragment or an inline one: refused before any runs.
  const severalMutations = fc
    .tuple(fc.array(fieldCalls(known).filter((call) => call.kind === 'mutation'), { minLength: 2, maxLength: 3 }), fc.constantFrom('aliases', 'fragment', 'inline'))
    .map(([calls, form]): Envelope => {
      const fields = calls.map((call, i) => `m${i}: ${inlineCall(call)}`);
      if (form === 'fragment') return { query: `mutation { ${fields[0]} ...Rest } fragment Rest on Mutation { ${fields.slice(1).join(' ')} }` };
      if (form === 'inline') return { query: `mutation { ${fields[0]} ... on Mutation { ${fields.slice(1).join(' ')} } }` };
      return { query: `mutation { ${fields.join(' ')} }` };
    });
  const subscription = fc.constantFrom<Envelope>(
    { query: 'subscription { __typename }' },
    { query: 'subscription S { customers(first: 1) { totalCount } }', operationName: 'S' },
    { query: 'subscription { startCall(input: {callId: "s", hints: {ani: "4155551234"}}) { replayed } }' },
  );
  return fc.oneof({ weight: 12, arbitrary: operation }, { weight: 1, arbitrary: severalMutations }, { weight: 1, arbitrary: subscription }).chain(mutateEnvelope);
}
