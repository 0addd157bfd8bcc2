/**
 * What counts as "the database is unavailable" (src/db/database-unavailable.ts): pg's errors as they come,
 * through the wrappers that carry them (MikroORM's DriverException, `cause` chains, AggregateError), and
 * nothing that is a bug or a client's own doing.
 */
import { randomBytes } from 'node:crypto';

import { ConnectionException, DriverException } from '@mikro-orm/core';
import { Client } from 'pg';

import { isDatabaseUnavailable } from '../../src/db/database-unavailable';
import { AppError } from '../../src/errors/app-error';
import { TEST_DATABASE_URL } from '../support/scratch-database';

/** What connecting as `role` fails with. */
async function connectionError(role: string): Promise<unknown> {
  const url = new URL(TEST_DATABASE_URL);
  url.username = role;
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  return client.connect().then(
    () => client.end().then(() => undefined),
    (error: unknown) => error,
  );
}

describe('recognising an unavailable database', () => {
  it('recognises PostgreSQL refusing a session for too many connections (53300), as pg raises it', async () => {
    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const role = `cm_full_${randomBytes(4).toString('hex')}`;
    try {
      await admin.query(`create role ${role} login connection limit 0`);
      const error = await connectionError(role);
      expect((error as { code?: string }).code).toBe('53300');
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await admin.query(`drop role if exists ${role}`);
      await admin.end();
    }
  });

  it('recognises a refused connection however it is wrapped', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(new DriverException(refused))).toBe(true);
    expect(isDatabaseUnavailable(new Error('query failed', { cause: refused }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([new Error('other'), refused]))).toBe(true);
    expect(isDatabaseUnavailable(new ConnectionException(new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
  });

  it('recognises a statement cancelled by DATABASE_STATEMENT_TIMEOUT_MS, but not one cancelled on request', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('query failed', { cause: Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }) }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('canceling statement due to user request'), { code: '57014' }))).toBe(false);
  });

  it('leaves bugs, cancelled statements and our own errors alone', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('relation "calls" does not exist'), { code: '42P01' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('canceling statement due to user request'), { code: '57014' }))).toBe(false);
    expect(isDatabaseUnavailable(AppError.conflict('Connection terminated'))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    const cycle: { cause?: unknown } & Error = new Error('loop');
    cycle.cause = cycle;
    expect(isDatabaseUnavailable(cycle)).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
