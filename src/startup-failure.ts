/**
 * What the operator reads when the service cannot start. A problem they fix in the environment is one line
 * naming the setting: exit code 78 (EX_CONFIG) like an invalid configuration when waiting cannot help (a
 * port not ours to bind, a database that does not exist or refuses our credentials), 75 (EX_TEMPFAIL) when
 * it may (the database not answering yet, the port still held by the process being replaced), so a
 * supervisor that stops retrying on 78 (the systemd unit's RestartPreventExitStatus) retries those;
 * anything else is one line too, exit code 1. Never a stack trace (LOG_LEVEL=debug
 * adds it), and never a secret: the database password and the configured keys are blanked out of every line.
 */
import type { DatabaseConfig } from './config';
import { ConfigError } from './config';

/** sysexits.h EX_CONFIG: the configuration (or what it points at) is wrong. */
export const EX_CONFIG = 78;

/** sysexits.h EX_TEMPFAIL: what the configuration points at is not available yet; a later try may work. */
export const EX_TEMPFAIL = 75;

/** A start-up failure the operator fixes in the environment; its message names the setting. */
export class StartupProblem extends Error {
  /** @param transient waiting may fix it (exit 75, not 78). */
  constructor(
    message: string,
    readonly transient = false,
  ) {
    super(message);
    this.name = 'StartupProblem';
  }
}

/** The `code` of a Node or pg error; an AggregateError (every address of a host refused) takes its first. */
function codeOf(error: unknown): string | undefined {
  const own = (error as { code?: unknown } | null)?.code;
  if (typeof own === 'string') return own;
  const first = (error as { errors?: unknown[] } | null)?.errors?.[0];
  return first === undefined ? undefined : codeOf(first);
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();

/** Listening failed: the port is taken or not ours to bind, or the host is not an address of this machine (named as `settings`). */
export function listenProblem(error: unknown, port: number, host: string, settings = { port: 'PORT', host: 'HOST' }): StartupProblem | undefined {
  const where = `${host}:${port}`;
  switch (codeOf(error)) {
    case 'EADDRINUSE':
      return new StartupProblem(`${settings.port}: ${port} is already in use on ${host} (EADDRINUSE); stop what holds it or set ${settings.port} to a free port`, true);
    case 'EACCES':
      return new StartupProblem(`${settings.port}: this user may not listen on ${where} (EACCES); use a port above 1023`);
    case 'EADDRNOTAVAIL':
      return new StartupProblem(`${settings.host}: ${host} is not an address of this machine (EADDRNOTAVAIL); use 0.0.0.0 or one of its addresses`);
    default:
      return undefined;
  }
}

/** Why a connection to PostgreSQL failed, by error code; undefined when it is not a connection problem. */
const CONNECTION_REASONS: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections there; is PostgreSQL running, on that host and port?',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS did not answer)',
  ETIMEDOUT: 'the host did not answer in time',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network of that host cannot be reached',
  ECONNRESET: 'the server closed the connection (TLS required, or not PostgreSQL?)',
};

/** PostgreSQL's own refusals at connection time: SQLSTATE classes 08, 28 and 3D, and 53300, 57P03. */
const SERVER_REFUSAL = /^(08|28|3D)...$|^53300$|^57P03$/;

/** SQLite: the folder or the file cannot be made, opened or written, or the file is not a database. */
const SQLITE_FILE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOSPC', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_NOTADB']);

/** Where a PostgreSQL URL points, without its password: `host:port/database as user`. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
    const user = parsed.username ? ` as ${decodeURIComponent(parsed.username)}` : '';
    return `${host}:${parsed.port || '5432'}${parsed.pathname}${user}`;
  } catch {
    return '(an unparsable URL)';
  }
}

/** Opening the database failed: a problem naming DATABASE_URL (or DATA_DIR for SQLite) when it is where it points. */
export function databaseProblem(error: unknown, database: DatabaseConfig): StartupProblem | undefined {
  const code = codeOf(error);
  if (database.engine === 'sqlite') {
    if (code && SQLITE_FILE_CODES.has(code)) {
      const detail = firstLine(error);
      return new StartupProblem(`DATA_DIR: cannot open the SQLite database ${database.path} (${detail.startsWith(code) ? detail : `${code}: ${detail}`})`);
    }
    return undefined;
  }
  const where = describePostgresUrl(database.url);
  if (code === '57014') {
    // statement_timeout cancelled a statement of the start: the wait for the start-up lock held by another
    // instance's migration (waiting helps: 75), or a migration longer than the limit (raise it for one start).
    const limit = database.statementTimeoutMs === undefined ? '' : ` ${database.statementTimeoutMs} ms`;
    return new StartupProblem(
      `DATABASE_STATEMENT_TIMEOUT_MS: a statement of the start (the migrations, or the wait for another instance's) ran past the limit of${limit} and was cancelled (57014); raise it for this start, or set 0 for none`,
      true,
    );
  }
  // pg's own timeout (DATABASE_CONNECT_TIMEOUT_MS) carries no code, only this message.
  if (/connection timeout|timeout expired|timeout exceeded when trying to connect/i.test(firstLine(error))) {
    const limit = database.connectTimeoutMs === undefined ? '' : ` in ${database.connectTimeoutMs} ms`;
    return new StartupProblem(
      `DATABASE_URL: cannot connect to PostgreSQL at ${where} (timeout): no answer${limit}; is the host and port right, and is a firewall dropping packets? (DATABASE_CONNECT_TIMEOUT_MS sets the wait)`,
      true,
    );
  }
  if (code && CONNECTION_REASONS[code]) {
    return new StartupProblem(`DATABASE_URL: cannot connect to PostgreSQL at ${where} (${code}): ${CONNECTION_REASONS[code]}`, true);
  }
  if (code && SERVER_REFUSAL.test(code)) {
    // Starting up, shutting down, too many connections or a connection-level failure pass; a missing
    // database or refused credentials do not.
    const transient = code.startsWith('08') || code.startsWith('57P') || code === '53300';
    return new StartupProblem(`DATABASE_URL: PostgreSQL at ${where} refused the connection: ${firstLine(error)} (${code})`, transient);
  }
  return undefined;
}

/** The secrets a start-up line must not show: the database password (as written and decoded) and keys. */
export function secretsOf(database: DatabaseConfig | undefined, others: (string | undefined)[] = []): string[] {
  const secrets = [...others];
  if (database?.engine === 'postgresql') {
    try {
      const password = new URL(database.url).password;
      secrets.push(password, decodeURIComponent(password));
    } catch {
      secrets.push(database.url);
    }
  }
  // A secret of one to three characters would blank every such run of letters and leave the line unreadable.
  return secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
}

/** What to print for a failed start of `program` (the service, the keys CLI), and the exit code. */
export function describeStartupFailure(error: unknown, secrets: string[] = [], program = 'caller-memory'): { text: string; exitCode: number } {
  const blank = (text: string) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
  // An invalid configuration lists every problem, one per line (config.ts).
  if (error instanceof ConfigError) return { text: blank(error.message), exitCode: EX_CONFIG };
  if (error instanceof StartupProblem) {
    return { text: blank(`${program} cannot start: ${error.message}`), exitCode: error.transient ? EX_TEMPFAIL : EX_CONFIG };
  }
  const name = error instanceof Error ? error.name : 'Error';
  return { text: blank(`${program} failed to start: ${name}: ${firstLine(error)} (LOG_LEVEL=debug shows where)`), exitCode: 1 };
}
