/** The one line a failed start prints (src/startup-failure.ts); the real process is test/startup-failures.test.ts. */
import { ConfigError } from '../../src/config';
import {
  databaseProblem,
  describePostgresUrl,
  describeStartupFailure,
  EX_CONFIG,
  EX_TEMPFAIL,
  listenProblem,
  secretsOf,
} from '../../src/startup-failure';

const errno = (code: string, message = `${code} something`) => Object.assign(new Error(message), { code });
const POSTGRES = { engine: 'postgresql' as const, url: 'postgres://ops:p%40ss%2Fword@db.internal:6543/memory' };

describe('a failed start', () => {
  it('names the setting to change when listening fails', () => {
    expect(listenProblem(errno('EADDRINUSE'), 4000, '0.0.0.0')?.message).toBe(
      'PORT: 4000 is already in use on 0.0.0.0 (EADDRINUSE); stop what holds it or set PORT to a free port',
    );
    expect(listenProblem(errno('EACCES'), 80, '0.0.0.0')?.message).toMatch(/^PORT: .*0\.0\.0\.0:80 \(EACCES\)/);
    expect(listenProblem(errno('EADDRNOTAVAIL'), 4000, '10.9.9.9')?.message).toMatch(/^HOST: 10\.9\.9\.9 is not an address/);
    expect(listenProblem(new Error('other'), 4000, '0.0.0.0')).toBeUndefined();
  });

  it('describes a PostgreSQL URL by host, port, database and user, never the password', () => {
    expect(describePostgresUrl(POSTGRES.url)).toBe('db.internal:6543/memory as ops');
    expect(describePostgresUrl('postgres://db.internal/memory')).toBe('db.internal:5432/memory');
    expect(describePostgresUrl('not a url')).toBe('(an unparsable URL)');
  });

  it('names DATABASE_URL for connection failures, including every address of a host refusing', () => {
    const refused = new AggregateError([errno('ECONNREFUSED'), errno('ECONNREFUSED')], 'all refused');
    expect(databaseProblem(refused, POSTGRES)?.message).toMatch(/^DATABASE_URL: cannot connect to PostgreSQL at db\.internal:6543\/memory as ops \(ECONNREFUSED\)/);
    expect(databaseProblem(errno('ENOTFOUND'), POSTGRES)?.message).toContain('does not resolve');
    expect(databaseProblem(errno('28P01', 'password authentication failed for user "ops"'), POSTGRES)?.message).toBe(
      'DATABASE_URL: PostgreSQL at db.internal:6543/memory as ops refused the connection: password authentication failed for user "ops" (28P01)',
    );
    // A failure after connecting (a migration's SQL) is not the URL's fault.
    expect(databaseProblem(errno('42P07', 'relation "organisations" already exists'), POSTGRES)).toBeUndefined();
  });

  it('exits 78 for what the environment must fix, 75 for what waiting may fix, 1 for anything else, in one line without a stack or a secret', () => {
    expect(describeStartupFailure(new ConfigError(['PORT: bad']))).toEqual({ text: 'Invalid configuration:\n  - PORT: bad', exitCode: EX_CONFIG });
    expect(describeStartupFailure(databaseProblem(errno('ECONNREFUSED'), POSTGRES)).exitCode).toBe(EX_TEMPFAIL);
    expect(describeStartupFailure(databaseProblem(errno('57P03', 'the database system is starting up'), POSTGRES)).exitCode).toBe(EX_TEMPFAIL);
    expect(describeStartupFailure(databaseProblem(new Error('timeout expired'), POSTGRES)).exitCode).toBe(EX_TEMPFAIL);
    expect(describeStartupFailure(databaseProblem(errno('28P01', 'password authentication failed'), POSTGRES)).exitCode).toBe(EX_CONFIG);
    expect(describeStartupFailure(databaseProblem(errno('3D000', 'database "memory" does not exist'), POSTGRES)).exitCode).toBe(EX_CONFIG);
    const leaky = new TypeError('could not parse postgres://ops:p@ss/word@db.internal:6543/memory\n    at somewhere (file.ts:1:1)');
    const { text, exitCode } = describeStartupFailure(leaky, secretsOf(POSTGRES, ['sk_test_secret']));
    expect(exitCode).toBe(1);
    expect(text).toBe('caller-memory failed to start: TypeError: could not parse postgres://ops:***@db.internal:6543/memory (LOG_LEVEL=debug shows where)');
  });
});
