/**
 * One GraphQL operation cannot stall the service by repeating a costly field under aliases (issue 9,
 * item 3): 1,600 aliased `customers(first:1){totalCount}` (56 KB, cost 3,200 when only field reads were
 * counted) ran 15–30 s, and 2,000 aliased `calls(first:1){totalCount}` blocked SQLite for 5.4 s. They are
 * refused before anything runs; the heaviest operation the limits allow shares the database with /readyz.
 */
import { Customer } from '../../src/customers/customer.entity';
import { LIST_COST } from '../../src/graphql/query-cost';
import { Environment } from '../../src/tenancy/environment';
import { makeOrganisation } from '../support/factories';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { httpDriver, type RawAnswer } from '../support/http-driver';
import { statementsOf } from '../support/query-counter';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

/** `{x0:field x1:field …}` with no spaces, as the attack sent it. */
function aliased(count: number, field: string): string {
  return `{${Array.from({ length: count }, (_, i) => `x${i}:${field}`).join(' ')}}`;
}

const CUSTOMER_COUNTS = aliased(1600, 'customers(first:1){totalCount}');
const CALL_COUNTS = aliased(2000, 'calls(first:1){totalCount}');

/** 20 root lists of 35 customers each: cost 20 × (1 + 35 × 5 reads + 60 for the count and the page) = 4,720. */
const HEAVY_BUT_ALLOWED = aliased(20, 'customers(first:35){totalCount edges{node{ref callCount}}}');

const SEEDED_CUSTOMERS = 2000;

describe.each(ENGINES)('an operation cannot stall the service with aliases, on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;

  beforeAll(async () => {
    t = await createTestApp(engine);
    const em = t.orm.em.fork();
    const organisation = await makeOrganisation(t.keys, em);
    gql = await graphqlClient(t, { organisationSlug: organisation.slug });
    const now = Date.now();
    const customers = Array.from({ length: SEEDED_CUSTOMERS }, (_, i) =>
      Object.assign(new Customer(), {
        organisationId: organisation.id,
        environment: Environment.TEST,
        provisional: false,
        createdAt: new Date(now - i * 1000),
      }),
    );
    await em.insertMany(Customer, customers);
  });
  afterAll(() => t.close());

  it.each([
    ['1,600 aliased customers(first:1){totalCount}', CUSTOMER_COUNTS, 1600],
    ['2,000 aliased calls(first:1){totalCount}', CALL_COUNTS, 2000],
  ])('refuses %s with QUERY_TOO_COMPLEX before any resolver runs', async (_name, query, count) => {
    expect(JSON.stringify({ query }).length).toBeLessThan(t.config.bodyLimitBytes);
    let answer: Awaited<ReturnType<GraphQLClient['request']>> | undefined;
    const statements = await statementsOf(t.orm, async () => {
      answer = await gql.request(query);
    });
    expect(answer?.status).toBe(400);
    expect(answer?.body.data).toBeUndefined();
    expect(answer?.body.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX', 'QUERY_TOO_COMPLEX', 'QUERY_TOO_COMPLEX']);
    expect(answer?.body.errors?.map((e) => e.message)).toEqual([
      `Query has ${count} root fields, more than the limit of 20`,
      `Query has ${count} aliases, more than the limit of 50`,
      `Query cost ${count * (2 + LIST_COST)} exceeds the limit of 5000`,
    ]);
    // Only the API key was looked up: no list, count or loader ran.
    expect(statements.filter((sql) => /\b(customers|calls)\b/.test(sql))).toEqual([]);
  });

  it('runs the heaviest operation the limits allow, and /readyz answers while it runs', async () => {
    // Two connections: the operation's, and the load balancer's probe.
    const client = await httpDriver(t.app);
    const probe = await httpDriver(t.app);
    const logger = t.orm.config.getLogger();
    const logQuery = logger.logQuery;
    try {
      expect((await probe.send('GET', '/readyz', {})).status).toBe(200);
      let readyz: Promise<RawAnswer> | undefined;
      // Probe readiness once the operation has run its first statement on the customers.
      logger.logQuery = function (this: unknown, context) {
        if (!readyz && /\bcustomers\b/.test(context.query ?? '')) readyz = probe.send('GET', '/readyz', {});
        return logQuery.call(this, context);
      };
      let heavyAnswered = false;
      const heavy = client
        .send('POST', '/graphql', { authorization: `Bearer ${gql.key}`, 'content-type': 'application/json' }, JSON.stringify({ query: HEAVY_BUT_ALLOWED }))
        .finally(() => {
          heavyAnswered = true;
        });
      const ready = await withinSeconds(30, () => readyz);
      expect(ready.status).toBe(200);
      expect(heavyAnswered).toBe(false);
      const answer = await heavy;
      expect(answer.status).toBe(200);
      const { data, errors } = JSON.parse(answer.text) as { data: Record<string, { totalCount: number; edges: unknown[] }>; errors?: unknown };
      expect(errors).toBeUndefined();
      expect(Object.values(data).map((list) => [list.totalCount, list.edges.length])).toEqual(
        Array.from({ length: 20 }, () => [SEEDED_CUSTOMERS, 35]),
      );
    } finally {
      logger.logQuery = logQuery;
      await client.close();
      await probe.close();
    }
  });
});

/** What `promised()` gives once it exists and settles, failing after `seconds` (a liveness bound, not a speed check). */
async function withinSeconds<T>(seconds: number, promised: () => Promise<T> | undefined): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const promise = promised();
    if (promise) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${seconds} s`)), Math.max(0, deadline - Date.now()));
      });
      try {
        return await Promise.race([promise, timeout]);
      } finally {
        clearTimeout(timer);
      }
    }
    if (Date.now() > deadline) throw new Error(`not started within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
