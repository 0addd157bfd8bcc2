/** The depth, cost, root-field and alias validation rule, on a small recursive schema. */
import { buildSchema, getIntrospectionQuery, type GraphQLObjectType, parse, specifiedRules, validate } from 'graphql';

import { COUNT_COST, LIST_COST, QUERY_COST } from '../../src/graphql/query-cost';
import {
  DEFAULT_QUERY_LIMITS,
  QUERY_TOO_COMPLEX,
  type QueryLimits,
  queryLimitsRule,
} from '../../src/graphql/query-limits';

const schema = buildSchema(`
  type Query {
    customer(id: ID): Customer
    customers(first: Int, last: Int): [Customer]
    nodes(ids: [ID!]!): [Customer]
    version: String
  }
  type Mutation {
    touch(id: ID): Customer
  }
  type Customer {
    name: String
    friend: Customer
    calls(first: Int, last: Int): [Call]
  }
  type Call {
    id: ID
    customer: Customer
  }
`);

/** What `@DatabaseCost` declares on a type-graphql resolver, set by hand on this SDL schema. */
function declare(field: string, cost: number): void {
  const [type, name] = field.split('.');
  Object.assign((schema.getType(type) as GraphQLObjectType).getFields()[name], { extensions: { databaseCost: cost } });
}
declare('Query.customers', LIST_COST);
declare('Query.version', 0);
declare('Customer.calls', QUERY_COST);
declare('Call.customer', QUERY_COST);

function check(query: string, limits: Partial<QueryLimits> = {}) {
  const rules = [...specifiedRules, queryLimitsRule({ ...DEFAULT_QUERY_LIMITS, ...limits })];
  return validate(schema, parse(query), rules);
}

function messages(query: string, limits: Partial<QueryLimits> = {}): string[] {
  return check(query, limits).map((e) => e.message);
}

/** The cost the rule computes for a query (it reports it when over a limit of 0). */
function costOf(query: string): number {
  const message = messages(query, { maxCost: 0 }).find((m) => m.startsWith('Query cost'));
  return Number(/Query cost (\d+)/.exec(message ?? '')?.[1]);
}

/** `customer { friend { friend … { name } } }`: `depth` levels of fields. */
function nested(depth: number): string {
  return `{ customer ${'{ friend '.repeat(depth - 2)}{ name }${' }'.repeat(depth - 2)} }`;
}

/** `count` root fields `x0: customers(first: 1) { name }`, … (each one aliased). */
function aliasedRoots(count: number, field = 'customers(first: 1) { name }'): string {
  return `{ ${Array.from({ length: count }, (_, i) => `x${i}: ${field}`).join(' ')} }`;
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
    expect(messages('{ __typename customer { __typename name } }', { maxDepth: 2 })).toEqual([]);
    expect(costOf('{ __typename customer { __typename name } }')).toBe(costOf('{ customer { name } }'));
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
    const alone = validate(schema, parse(query), [queryLimitsRule({ ...DEFAULT_QUERY_LIMITS, maxDepth: 1, maxCost: 1 })]);
    expect(alone.map((e) => e.message)).toEqual([
      'Query depth 3 exceeds the limit of 1',
      `Query cost ${3 + QUERY_COST} exceeds the limit of 1`,
    ]);
  });
});

describe('queryLimitsRule: cost of reading fields', () => {
  it('charges 1 per field read, and multiplies by a literal `first`', () => {
    expect(costOf('{ customer { name friend { name } } }')).toBe(4 + QUERY_COST);
    expect(costOf('{ customer { calls(first: 2) { id } } }')).toBe(1 + (1 + 2 * 1) + 2 * QUERY_COST);
  });

  it('assumes 20 for a variable or an omitted `first`', () => {
    expect(costOf('query ($n: Int) { customers(first: $n) { name } }')).toBe(1 + 20 + LIST_COST);
    expect(costOf('{ customers { name } }')).toBe(1 + 20 + LIST_COST);
  });

  it('multiplies by a literal `last` as by `first`, and assumes 20 for a variable `last` or a null `first`', () => {
    expect(costOf('{ customer { calls(last: 2) { id } } }')).toBe(costOf('{ customer { calls(first: 2) { id } } }'));
    expect(costOf('query ($n: Int) { customers(last: $n) { name } }')).toBe(1 + 20 + LIST_COST);
    expect(costOf('{ customers(first: null) { name } }')).toBe(1 + 20 + LIST_COST);
    expect(costOf('{ customers(first: null, last: 3) { name } }')).toBe(1 + 3 + LIST_COST);
  });

  it('takes the larger of `first` and `last` when both are sent (execution refuses them)', () => {
    expect(costOf('{ customers(first: 2, last: 7) { name } }')).toBe(1 + 7 + LIST_COST);
  });

  it('multiplies the selections of `nodes` by the number of ids, assuming 20 for a variable', () => {
    expect(costOf('{ nodes(ids: ["a", "b", "c"]) { name } }')).toBe(1 + 3 + QUERY_COST);
    expect(costOf('{ nodes(ids: "a") { name } }')).toBe(1 + 1 + QUERY_COST);
    expect(costOf('query ($ids: [ID!]!) { nodes(ids: $ids) { name } }')).toBe(1 + 20 + QUERY_COST);
  });

  it('refuses `last: 100` nested twice with the default limits, as `first: 100`', () => {
    expect(messages('{ customers(last: 100) { calls(last: 100) { id } } }')).toEqual([
      `Query cost ${10101 + LIST_COST + QUERY_COST} exceeds the limit of 5000`,
    ]);
  });

  it('refuses `first: 100` nested twice with the default limits', () => {
    const errors = check('{ customers(first: 100) { calls(first: 100) { id } } }');
    expect(errors.map((e) => [e.message, e.extensions.code])).toEqual([
      [`Query cost ${10101 + LIST_COST + QUERY_COST} exceeds the limit of 5000`, QUERY_TOO_COMPLEX],
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
    expect(message).toBe(`Query cost ${2 ** levels + QUERY_COST} exceeds the limit of 5000`);
  });
});

describe('queryLimitsRule: cost of database work', () => {
  it('charges a root list its count, its page and its look behind the cursor, on top of its reads', () => {
    expect(LIST_COST).toBe(COUNT_COST + 2 * QUERY_COST);
    expect(costOf('{ customers(first: 1) { name } }')).toBe(2 + LIST_COST);
  });

  it('charges a root field that declares nothing one query, and one that declares 0 nothing', () => {
    expect(costOf('{ customer { name } }')).toBe(2 + QUERY_COST);
    expect(costOf('mutation { touch { name } }')).toBe(2 + QUERY_COST);
    expect(costOf('{ version }')).toBe(1);
  });

  it('charges a nested query once per occurrence, not once per parent (DataLoaders batch it)', () => {
    const one = costOf('{ customers(first: 1) { calls(first: 1) { id } } }');
    const hundred = costOf('{ customers(first: 100) { calls(first: 1) { id } } }');
    expect(one).toBe(1 + 1 * (1 + 1) + LIST_COST + QUERY_COST);
    expect(hundred).toBe(1 + 100 * (1 + 1) + LIST_COST + QUERY_COST);
  });

  it('charges every alias of a field, since each one runs its own queries', () => {
    expect(costOf(aliasedRoots(3))).toBe(3 * (2 + LIST_COST));
    expect(costOf('{ customer { a: calls(first: 1) { id } b: calls(first: 2) { id } } }')).toBe(
      1 + 2 + 3 + QUERY_COST + 2 * QUERY_COST,
    );
  });

  it('prices 1,600 aliased one-row lists far over the limit, though their reads alone were under it', () => {
    const query = aliasedRoots(1600, 'customers(first: 1) { name }');
    expect(costOf(query)).toBe(1600 * (2 + LIST_COST));
    expect(1600 * 2).toBeLessThan(DEFAULT_QUERY_LIMITS.maxCost);
  });
});

describe('queryLimitsRule: root fields and aliases', () => {
  it('passes 20 root fields and refuses 21', () => {
    expect(check(aliasedRoots(20, 'customer { name }'))).toEqual([]);
    expect(messages(aliasedRoots(21, 'customer { name }'))).toEqual([
      'Query has 21 root fields, more than the limit of 20',
    ]);
  });

  it('counts root fields through fragments, each response name once, and not __typename', () => {
    const query = `query { __typename customer { name } ...Roots ... on Query { version } }
      fragment Roots on Query { customer { name } other: customer { name } version }`;
    expect(messages(query, { maxRootFields: 3 })).toEqual([]);
    expect(messages(query, { maxRootFields: 2 })).toEqual(['Query has 3 root fields, more than the limit of 2']);
  });

  it('refuses more aliases than the limit, counted at every level and once per fragment spread', () => {
    const nestedAliases = '{ customer { a: name b: name c: friend { d: name } } }';
    expect(messages(nestedAliases, { maxAliases: 4 })).toEqual([]);
    expect(messages(nestedAliases, { maxAliases: 3 })).toEqual(['Query has 4 aliases, more than the limit of 3']);
    const spread = '{ customer { ...A friend { ...A } } } fragment A on Customer { x: name y: name }';
    expect(messages(spread, { maxAliases: 3 })).toEqual(['Query has 4 aliases, more than the limit of 3']);
  });

  it('reports every limit an operation passes', () => {
    expect(check(aliasedRoots(1600)).map((e) => [e.message, e.extensions.code])).toEqual([
      ['Query has 1600 root fields, more than the limit of 20', QUERY_TOO_COMPLEX],
      ['Query has 1600 aliases, more than the limit of 50', QUERY_TOO_COMPLEX],
      [`Query cost ${1600 * (2 + LIST_COST)} exceeds the limit of 5000`, QUERY_TOO_COMPLEX],
    ]);
  });

  it('applies the limits to each operation of a document on its own', () => {
    const document = `query A ${aliasedRoots(15, 'customer { name }')} query B ${aliasedRoots(15, 'customer { name }')}`;
    expect(check(document)).toEqual([]);
  });
});
