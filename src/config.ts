/**
 * Typed configuration, read once at boot. This is the only module that reads `process.env`
 * (and the optional `.env` file). Every problem is reported at once by `ConfigError`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

import { settingConflicts } from './config-conflicts';
import { booleanFlag, operationsConfig, operationsEnv, type OperationsConfig } from './config-operations';
import { parseCorsOrigins, parseFrameAncestors, parseTrustProxy, parseWeights, postgresUrlProblem, publicUrlParts, type CorsOrigins, type TrustProxy } from './config-values';
import { DEFAULT_WAL_LIMIT_BYTES } from './db/sqlite-checkpoints';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './graphql/query-limit-defaults';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http/server';
import { DEFAULT_MEMORY_RULES, type MemoryRules } from './shared/memory-rules';
import { isWellFormedApiKey } from './tenancy/api-key-format';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const MB = 1024 * 1024;

const DEV_SECRET = 'caller-memory-development-secret-do-not-use-in-production';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for the embedded SQLite file)')
    .superRefine((text, ctx) => {
      const problem = /^postgres(ql)?:\/\//.test(text) ? postgresUrlProblem(text) : undefined;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3_600_000)
    // A few ms cancels the start's own statements (exit 1, naming nothing) or every request's; "30" is 30 ms.
    .refine((ms) => ms === 0 || ms >= 100, 'must be 0 (no timeout) or at least 100 (it is in milliseconds)')
    .default(30_000),
  DATA_DIR: z.string().min(1).default('./data'),
  SQLITE_WAL_LIMIT_MB: z.coerce.number().positive().max(65_536).default(DEFAULT_WAL_LIMIT_BYTES / MB),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(64 * 1024),
  GRAPHQL_SANDBOX: booleanFlag.optional(),
  GRAPHQL_INTROSPECTION: booleanFlag.optional(),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  BOOTSTRAP_API_KEY: z
    .string()
    .refine(isWellFormedApiKey, 'must look like sk_test_… or sk_prod_… followed by 49 letters or digits with a valid checksum (or 43, a key issued before checksums)')
    .optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).optional(),
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(DEFAULT_HTTP_LIMITS.requestTimeoutMs),
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs),
  MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_HTTP_LIMITS.maxConnections),
  DEFAULT_REGION: z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code').default('US'),
  NON_IDENTIFYING_KEYS: z.string().optional(),
  IDENTITY_WEIGHTS: z.string().optional(),
  INTENT_TTL_DAYS: z.coerce.number().positive().max(3650).default(30),
  VARIABLE_TTL_SECONDS: z.coerce.number().int().min(1).max(315_360_000).default(2_592_000),
  MAX_VARIABLES_PER_REQUEST: z.coerce.number().int().min(1).max(1000).default(100),
  MAX_VARIABLE_VALUE_LENGTH: z.coerce.number().int().min(1).max(65_536).default(4096),
  VARIABLE_BUDGET_BYTES: z.coerce.number().int().min(1024).max(1_048_576).default(16_384),
  PROVISIONAL_TTL_DAYS: z.coerce.number().positive().max(3650).default(7),
  PURGE_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  // Whole days, 0 (off) or at least 1: far longer than any platform's retry window, so replays still find their call.
  CALL_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  // Platforms retry a start within seconds or minutes; two days also covers a replay after an outage.
  REPLAY_WINDOW_HOURS: z.coerce.number().int().min(1).max(8760).default(48),
  QUERY_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(DEFAULT_QUERY_LIMITS.maxDepth),
  QUERY_MAX_COST: z.coerce.number().int().min(10).max(1_000_000).default(DEFAULT_QUERY_LIMITS.maxCost),
  QUERY_MAX_ROOT_FIELDS: z.coerce.number().int().min(1).max(1000).default(DEFAULT_QUERY_LIMITS.maxRootFields),
  QUERY_MAX_ALIASES: z.coerce.number().int().min(0).max(10_000).default(DEFAULT_QUERY_LIMITS.maxAliases),
  QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(DEFAULT_QUERY_LIMITS.timeoutMs),
  TRUST_PROXY: z.string().optional(),
  CORS_ORIGINS: z.string().optional(),
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(0).max(100_000).default(20),
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an absolute http:// or https:// URL, e.g. https://memory.example.com' })
    .refine((u) => !/[?#]/.test(u), 'must not carry a query or fragment')
    .refine((u) => !publicUrlParts(u)?.userinfo, 'must not carry a user name or password (every link handed out would show them)')
    .refine((u) => !publicUrlParts(u)?.path.includes(';'), "must not hold ';' in its path (no cookie can be scoped to such a path)")
    .optional(),
  SCREEN_POP_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  SCREEN_POP_FRAME_ANCESTORS: z.string().optional(),
  DASHBOARD_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(8),
  METRICS_CSAT_VARIABLE: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a variable name (letters, digits, _ . -)').default('csat'),
  METRICS_REPEAT_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  METRICS_TRANSFER_WINDOW_MINUTES: z.coerce.number().int().min(0).max(1440).default(15),
  ...operationsEnv,
});

/** Which proxies to believe about the client's address and protocol (Express's `trust proxy` setting). */
export type { TrustProxy } from './config-values';

/** How many failed authentications one client address may make in a window before it gets 429s. */
export interface AuthThrottleLimits {
  /** Failures allowed per window (0: no throttle). */
  maxFailures: number;
  /** The sliding window, in milliseconds. */
  windowMs: number;
}

/** Which database engine the service runs on. */
export type DatabaseConfig =
  | {
      engine: 'sqlite';
      /** Path of the SQLite file, or `:memory:`. */
      path: string;
      /** Size the -wal file is cut back to after checkpoints, in bytes (default DEFAULT_WAL_LIMIT_BYTES). */
      walLimitBytes?: number;
    }
  | {
      engine: 'postgresql';
      /** Connection URL. */
      url: string;
      /** How long opening a connection may take before it fails (a host that drops packets), in ms; default 5000. */
      connectTimeoutMs?: number;
      /** Most connections each instance keeps open to PostgreSQL (DATABASE_POOL_SIZE); default 10, pg's own. */
      poolSize?: number;
      /** PostgreSQL's statement_timeout on every connection, in ms (DATABASE_STATEMENT_TIMEOUT_MS); 0: none. Default 30000. */
      statementTimeoutMs?: number;
    };

/** The pages for people: the screen pop's links and the dashboard's sessions. */
export interface PagesConfig {
  /** Base of absolute links we hand out (PUBLIC_URL, no trailing slash); unset: built from each request's host. */
  publicUrl?: string;
  /** How long a screen-pop link stays valid after its call started, in milliseconds. */
  screenPopTtlMs: number;
  /** Origins allowed to frame the screen pop (CSP frame-ancestors); empty: no framing. */
  screenPopFrameAncestors: string[];
  /** How long a dashboard sign-in lasts, in milliseconds. */
  sessionTtlMs: number;
}

/** How the outcome metrics are defined where a choice exists (docs/metrics.md). */
export interface MetricsConfig {
  /** The numeric variable that carries a call's CSAT score. */
  csatVariable: string;
  /** A call followed by another from the same customer within this many days counts as repeated. */
  repeatWindowDays: number;
  /** A next call within this many minutes is a transfer, not a repeat. */
  transferWindowMinutes: number;
}

/** The service's validated configuration (limits, request log and telemetry: config-operations.ts). */
export interface Config extends OperationsConfig {
  /** `development`, `test` or `production`. */
  env: 'development' | 'test' | 'production';
  /** TCP port to listen on (0 picks a free one). */
  port: number;
  /** Interface to bind. */
  host: string;
  /** pino log level. */
  logLevel: string;
  /** The database: SQLite file in DATA_DIR unless DATABASE_URL names PostgreSQL. */
  database: DatabaseConfig;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Serve Apollo Sandbox on GET /graphql to browsers. */
  graphqlSandbox: boolean;
  /** Answer GraphQL introspection queries. */
  graphqlIntrospection: boolean;
  /** Server secret: keys the API-key hash and signs links. */
  appSecret: string;
  /** An API key to register for the default organisation at start, if unknown. */
  bootstrapApiKey?: string;
  /** Hard deadline of a graceful shutdown, from the signal: connections still open then are closed. */
  shutdownTimeoutMs: number;
  /** How long after the signal the server keeps accepting (with `/readyz` at 503) so load balancers notice. */
  shutdownDrainDelayMs: number;
  /** HTTP timeouts and the connection cap. */
  http: HttpLimits;
  /** The caller-memory rules: region, weights, TTLs, limits. */
  memory: MemoryRules;
  /** How often expired variables and stale provisional customers are purged (0: never). */
  purgeIntervalMs: number;
  /** GraphQL limits: depth, cost, root fields, aliases, and the time a query operation may take. */
  queryLimits: QueryLimits;
  /** Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (client address, HTTPS for HSTS). */
  trustProxy: TrustProxy;
  /** Origins whose pages may call /graphql and /v1 (CORS); empty: none. */
  corsOrigins: CorsOrigins;
  /** Throttle on failed authentication per client address. */
  authThrottle: AuthThrottleLimits;
  /** The screen pop and the dashboard. */
  pages: PagesConfig;
  /** Metric definitions' settings. */
  metrics: MetricsConfig;
}

/** Thrown at boot when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `KEY=value` pairs from a `.env` file if there is one; real environment variables win. */
function readDotEnv(path: string): Record<string, string | undefined> {
  return existsSync(path) ? parseEnv(readFileSync(path, 'utf8')) : {};
}

/** Builds the configuration from an environment (default: `.env` overlaid by `process.env`). */
export function loadConfig(
  env: Record<string, string | undefined> = { ...readDotEnv(resolve('.env')), ...process.env },
): Config {
  // Blank counts as unset: z.coerce.number() reads ' ' as 0 (no statement timeout, keep calls forever, any port).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const weights = parseWeights(parsed.data?.IDENTITY_WEIGHTS, problems);
  const trustProxy = parseTrustProxy(parsed.data?.TRUST_PROXY, problems);
  const corsOrigins = parseCorsOrigins(parsed.data?.CORS_ORIGINS, problems);
  const frameAncestors = parseFrameAncestors(parsed.data?.SCREEN_POP_FRAME_ANCESTORS, problems);
  if (parsed.success) problems.push(...settingConflicts(parsed.data, DEV_SECRET));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);

  const e = parsed.data;
  const development = e.NODE_ENV !== 'production';
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    database: e.DATABASE_URL
      ? { engine: 'postgresql', url: e.DATABASE_URL, connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS, poolSize: e.DATABASE_POOL_SIZE, statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS }
      : { engine: 'sqlite', path: resolve(e.DATA_DIR, 'caller-memory.db'), walLimitBytes: Math.round(e.SQLITE_WAL_LIMIT_MB * MB) },
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    graphqlSandbox: e.GRAPHQL_SANDBOX ?? development,
    graphqlIntrospection: e.GRAPHQL_INTROSPECTION ?? development,
    appSecret: e.APP_SECRET ?? DEV_SECRET,
    bootstrapApiKey: e.BOOTSTRAP_API_KEY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    // Unset: 5 s, or half the deadline when that is shorter, so a shorter deadline alone stays valid.
    shutdownDrainDelayMs: e.SHUTDOWN_DRAIN_DELAY_MS ?? Math.min(5_000, Math.floor(e.SHUTDOWN_TIMEOUT_MS / 2)),
    http: {
      headersTimeoutMs: e.HEADERS_TIMEOUT_MS ?? Math.min(DEFAULT_HTTP_LIMITS.headersTimeoutMs, e.REQUEST_TIMEOUT_MS),
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.MAX_CONNECTIONS,
    },
    memory: {
      defaultRegion: e.DEFAULT_REGION.toUpperCase(),
      nonIdentifyingKeys: e.NON_IDENTIFYING_KEYS
        ? e.NON_IDENTIFYING_KEYS.split(',').map((k) => k.trim().toLowerCase()).filter(Boolean)
        : DEFAULT_MEMORY_RULES.nonIdentifyingKeys,
      weights,
      intentTtlMs: e.INTENT_TTL_DAYS * DAY_MS,
      variableTtlSeconds: e.VARIABLE_TTL_SECONDS,
      variableLimits: {
        maxPerRequest: e.MAX_VARIABLES_PER_REQUEST,
        maxValueLength: e.MAX_VARIABLE_VALUE_LENGTH,
        budgetBytes: e.VARIABLE_BUDGET_BYTES,
      },
      provisionalTtlMs: e.PROVISIONAL_TTL_DAYS * DAY_MS,
      callRetentionMs: e.CALL_RETENTION_DAYS * DAY_MS,
      replayWindowMs: e.REPLAY_WINDOW_HOURS * 3_600_000,
    },
    purgeIntervalMs: e.PURGE_INTERVAL_SECONDS * 1000,
    queryLimits: {
      maxDepth: e.QUERY_MAX_DEPTH,
      maxCost: e.QUERY_MAX_COST,
      maxRootFields: e.QUERY_MAX_ROOT_FIELDS,
      maxAliases: e.QUERY_MAX_ALIASES,
      timeoutMs: e.QUERY_TIMEOUT_MS,
    },
    trustProxy,
    corsOrigins,
    authThrottle: { maxFailures: e.AUTH_FAILURE_LIMIT, windowMs: e.AUTH_FAILURE_WINDOW_SECONDS * 1000 },
    pages: {
      publicUrl: e.PUBLIC_URL === undefined ? undefined : publicUrlParts(e.PUBLIC_URL)?.base,
      screenPopTtlMs: Math.round(e.SCREEN_POP_TTL_HOURS * HOUR_MS),
      screenPopFrameAncestors: frameAncestors,
      sessionTtlMs: Math.round(e.DASHBOARD_SESSION_HOURS * HOUR_MS),
    },
    metrics: {
      csatVariable: e.METRICS_CSAT_VARIABLE,
      repeatWindowDays: e.METRICS_REPEAT_WINDOW_DAYS,
      transferWindowMinutes: e.METRICS_TRANSFER_WINDOW_MINUTES,
    },
    ...operationsConfig(e),
  };
}
