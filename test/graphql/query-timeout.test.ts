/**
 * A GraphQL query operation holds the database for at most QUERY_TIMEOUT_MS (issue 9, item 3): once its
 * time is up, the fields not yet run answer QUERY_TIMEOUT and send no statement, and on PostgreSQL the
 * statement in flight is cancelled. Mutations are never cut off.
 */
import type { MikroORM } from '@mikro-orm/core';
import { Client } from 'pg';

import { ManualClock } from '../../src/shared/clock';
import { recordCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { statementsOf } from '../support/query-counter';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const TIMEOUT_MS = 5000;
const TIMEOUT_MESSAGE = `The query ran past its ${TIMEOUT_MS} ms limit and was stopped; ask for less (smaller pages, fewer fields)`;

/** Moves the clock past the time limit as soon as the ORM sends a statement matching `pattern`. */
function expireOn(orm: MikroORM, clock: ManualClock, pattern: RegExp): () => void {
  const logger = orm.config.getLogger();
  const logQuery = logger.logQuery;
  let moved = false;
  logger.logQuery = function (this: unknown, context) {
    if (!moved && pattern.test(context.query ?? '')) {
      moved = true;
      clock.advance(TIMEOUT_MS + 1);
    }
    return logQuery.call(this, context);
  };
  return () => {
    logger.logQuery = logQuery;
  };
}

describe.each(ENGINES)('the time a query operation may hold the database, on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  let clock: ManualClock;
  let ref: string;

  beforeAll(async () => {
    clock = new ManualClock();
    t = await createTestApp(engine, { QUERY_TIMEOUT_MS: String(TIMEOUT_MS) }, clock);
    gql = await graphqlClient(t);
    ref = await recordCall(gql, 'timed', { ani: '4155550100' }, { variables: [{ name: 'tier', value: 'gold' }] });
  });
  afterAll(() => t.close());

  it('answers QUERY_TIMEOUT for the root fields whose turn comes after the time is up, keeping what ran', async () => {
    const restore = expireOn(t.orm, clock, /\bcustomers\b/);
    try {
      const answer = await gql.request('query($ref: ID!) { a: customer(ref: $ref) { ref } b: customer(ref: $ref) { ref } }', { ref });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        data: { a: { ref }, b: null },
        errors: [{ message: TIMEOUT_MESSAGE, locations: expect.any(Array), path: ['b'], extensions: { code: 'QUERY_TIMEOUT' } }],
      });
    } finally {
      restore();
    }
  });

  it('sends no statement for the nested fields once the time is up', async () => {
    const restore = expireOn(t.orm, clock, /\bcustomers\b/);
    let answer: Awaited<ReturnType<GraphQLClient['request']>> | undefined;
    try {
      const statements = await statementsOf(t.orm, async () => {
        answer = await gql.request('query($ref: ID!) { customer(ref: $ref) { ref variables { name } } }', { ref });
      });
      expect(statements.filter((sql) => /\bvariables\b/.test(sql))).toEqual([]);
    } finally {
      restore();
    }
    expect(answer?.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['customer', 'variables'], 'QUERY_TIMEOUT']]);
  });

  it('never cuts off a mutation, which has written by the time it reads back', async () => {
    const restore = expireOn(t.orm, clock, /\bvariables\b/);
    try {
      const data = await gql.data(
        `mutation($ref: ID!) { setVariables(customerRef: $ref, variables: [{ name: "plan", value: "pro" }]) {
          variablesUpdated customer { variables { name } calls(first: 5) { totalCount } }
        } }`,
        { ref },
      );
      expect(data.setVariables).toEqual({
        variablesUpdated: 1,
        customer: { variables: [{ name: 'plan' }, { name: 'tier' }], calls: { totalCount: 1 } },
      });
    } finally {
      restore();
    }
  });

  it('gives every operation its own time', async () => {
    expect(await gql.data('query($ref: ID!) { customer(ref: $ref) { ref } }', { ref })).toEqual({ customer: { ref } });
  });
});

describe('a query waiting on PostgreSQL past its time', () => {
  let t: TestApp;
  let gql: GraphQLClient;

  beforeAll(async () => {
    t = await createTestApp('postgresql', { QUERY_TIMEOUT_MS: '300' });
    gql = await graphqlClient(t);
  });
  afterAll(() => t.close());

  it('is cancelled on the server and answers QUERY_TIMEOUT', async () => {
    const locker = new Client({ connectionString: t.orm.config.get('clientUrl') });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table customers in access exclusive mode');
      // Without the cancel, this would wait for the lock until the end of the test.
      const answer = await gql.request('{ customers(first: 1) { totalCount } }');
      expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TIMEOUT']);
      await expect(waitingOnLocks(locker)).resolves.toBe(0);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
  });
});

/** Statements of this database waiting on a lock, once the cancel has reached them (bounded wait). */
async function waitingOnLocks(client: Client): Promise<number> {
  const sql = `select count(*)::int as n from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`;
  for (let attempt = 0; attempt < 200; attempt++) {
    const { rows } = await client.query<{ n: number }>(sql);
    if (rows[0].n === 0) return 0;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { rows } = await client.query<{ n: number }>(sql);
  return rows[0].n;
}
