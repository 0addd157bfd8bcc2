/** The depth and cost validation rule, on a small recursive schema. */
import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';

import {
  DEFAULT_QUERY_LIMITS,
  QUERY_TOO_COMPLEX,
  type QueryLimits,
  queryLimitsRule,
} from '../../src/graphql/query-limits';

const schema = buildSchema(`
  type Query {
    customer(id: ID): Customer
    customers(first: Int): [Customer]
  }
  type Customer {
    name: String
    friend: Customer
    calls(first: Int): [Call]
  }
  type Call {
    id: ID
    customer: Customer
  }
`);

function check(query: string, limits: Partial<QueryLimits> = {}) {
  const rules = [...specifiedRules, queryLimitsRule({ ...DEFAULT_QUERY_LIMITS, ...limits })];
  return validate(schema, parse(query), rules);
}

function messages(query: string, limits: Partial<QueryLimits> = {}): string[] {
  return check(query, limits).map((e) => e.message);
}

/** `customer { friend { friend … { name } } }`: `depth` levels of fields, costing `depth`. */
function nested(depth: number): string {
  return `{ customer ${'{ friend '.repeat(depth - 2)}{ name }${' }'.repeat(depth - 2)} }`;
}

describe('queryLimitsRule: depth', () => {
  it('passes a shallow query', () => {
    expect(check('{ customer(id: "1") { name calls(first: 5) { id } } }')).toEqual([]);
  });

  it('passes a query exactly at the limit', () => {
    expect(check(nested(10))).toEqual([]);
  });

  it('refuses a query one level too deep, with the message and code', () => {
    const errors = check(nested(11));
    expect(errors.map((e) => e.toJSON())).toEqual([
      {
        message: 'Query depth 11 exceeds the limit of 10',
        locations: [{ line: 1, column: 1 }],
        extensions: { code: QUERY_TOO_COMPLEX },
      },
    ]);
  });

  it('counts fields inside named and inline fragments', () => {
    const query = `
      query { customer { ...Friends } }
      fragment Friends on Customer { friend { ... on Customer { friend { name } } } }
    `;
    expect(messages(query, { maxDepth: 4 })).toEqual([]);
    expect(messages(query, { maxDepth: 3 })).toEqual(['Query depth 4 exceeds the limit of 3']);
  });

  it('ignores introspection fields', () => {
    expect(messages('{ __typename customer { __typename name } }', { maxDepth: 2, maxCost: 2 })).toEqual([]);
  });

  it('passes the full introspection query with the default limits', () => {
    expect(check(getIntrospectionQuery())).toEqual([]);
  });

  it('stops at a fragment cycle, leaving graphql to report it', () => {
    const query = `
      query { customer { ...A } }
      fragment A on Customer { friend { ...B } }
      fragment B on Customer { friend { ...A } }
    `;
    expect(messages(query)).toEqual(['Cannot spread fragment "A" within itself via "B".']);
    const alone = validate(schema, parse(query), [queryLimitsRule({ maxDepth: 1, maxCost: 1 })]);
    expect(alone.map((e) => e.message)).toEqual([
      'Query depth 3 exceeds the limit of 1',
      'Query cost 3 exceeds the limit of 1',
    ]);
  });
});

describe('queryLimitsRule: cost', () => {
  const costOf = (query: string) => messages(query, { maxCost: 0 })[0];

  it('charges 1 per field, and multiplies by a literal `first`', () => {
    expect(costOf('{ customer { name friend { name } } }')).toBe('Query cost 4 exceeds the limit of 0');
    expect(costOf('{ customers(first: 3) { name calls(first: 2) { id } } }')).toBe(
      'Query cost 13 exceeds the limit of 0',
    );
  });

  it('assumes 20 for a variable or an omitted `first`', () => {
    expect(costOf('query ($n: Int) { customers(first: $n) { name } }')).toBe('Query cost 21 exceeds the limit of 0');
    expect(costOf('{ customers { name } }')).toBe('Query cost 21 exceeds the limit of 0');
  });

  it('refuses `first: 100` nested twice with the default limits', () => {
    const errors = check('{ customers(first: 100) { calls(first: 100) { id } } }');
    expect(errors.map((e) => [e.message, e.extensions.code])).toEqual([
      ['Query cost 10101 exceeds the limit of 5000', QUERY_TOO_COMPLEX],
    ]);
  });

  it('measures each fragment once, so a fan-out of spreads is quick', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Customer { name }`
        : `fragment F${i} on Customer { name ...F${i + 1} ...F${i + 1} }`,
    );
    const [message] = messages(`{ customer { ...F0 } } ${fragments.join(' ')}`);
    expect(message).toBe(`Query cost ${2 ** levels} exceeds the limit of 5000`);
  });
});
