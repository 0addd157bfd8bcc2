/**
 * Typed configuration, read once at boot. This is the only module that reads `process.env`
 * (and the optional `.env` file). Every problem is reported at once by `ConfigError`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './graphql/query-limits';
import { DEFAULT_IDENTITY_WEIGHTS, type IdentityWeights } from './identity/confidence';
import { DEFAULT_MEMORY_RULES, type MemoryRules } from './shared/memory-rules';
import { isWellFormedApiKey } from './tenancy/api-key-format';

const DAY_MS = 24 * 60 * 60 * 1000;

const DEV_SECRET = 'caller-memory-development-secret-do-not-use-in-production';

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for the embedded SQLite file)')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(64 * 1024),
  GRAPHQL_SANDBOX: booleanFlag.optional(),
  GRAPHQL_INTROSPECTION: booleanFlag.optional(),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  BOOTSTRAP_API_KEY: z
    .string()
    .refine(isWellFormedApiKey, 'must look like sk_test_… or sk_prod_… followed by 43 letters or digits')
    .optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
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
  QUERY_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(DEFAULT_QUERY_LIMITS.maxDepth),
  QUERY_MAX_COST: z.coerce.number().int().min(10).max(1_000_000).default(DEFAULT_QUERY_LIMITS.maxCost),
});

const weightsSchema = z
  .object({
    customerRef: z.number().min(0).max(1),
    externalId: z.number().min(0).max(1),
    ani: z.object({ mobile: z.number(), unknown: z.number(), landline: z.number(), voip: z.number() }).partial(),
    sharedAniFactor: z.number().min(0).max(1),
    recencyBonus: z.number().min(0).max(1),
    recencyWindowDays: z.number().min(0),
  })
  .partial()
  .strict();

/** IDENTITY_WEIGHTS: a JSON object overriding some of the default weights, e.g. {"externalId":0.5}. */
function parseWeights(text: string | undefined, problems: string[]): IdentityWeights {
  if (!text) return DEFAULT_IDENTITY_WEIGHTS;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problems.push('IDENTITY_WEIGHTS: must be a JSON object');
    return DEFAULT_IDENTITY_WEIGHTS;
  }
  const parsed = weightsSchema.safeParse(json);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `IDENTITY_WEIGHTS.${i.path.join('.')}: ${i.message}`));
    return DEFAULT_IDENTITY_WEIGHTS;
  }
  const { ani, ...rest } = parsed.data;
  return { ...DEFAULT_IDENTITY_WEIGHTS, ...rest, ani: { ...DEFAULT_IDENTITY_WEIGHTS.ani, ...ani } };
}

/** Which database engine the service runs on. */
export type DatabaseConfig =
  | { engine: 'sqlite'; /** Path of the SQLite file, or `:memory:`. */ path: string }
  | { engine: 'postgresql'; /** Connection URL. */ url: string };

/** The service's validated configuration. */
export interface Config {
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
  /** How long a graceful shutdown waits for in-flight requests. */
  shutdownTimeoutMs: number;
  /** The caller-memory rules: region, weights, TTLs, limits. */
  memory: MemoryRules;
  /** How often expired variables and stale provisional customers are purged (0: never). */
  purgeIntervalMs: number;
  /** GraphQL query depth and cost limits. */
  queryLimits: QueryLimits;
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
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const weights = parseWeights(parsed.data?.IDENTITY_WEIGHTS, problems);
  if (parsed.success && parsed.data.NODE_ENV === 'production' && !parsed.data.APP_SECRET) {
    problems.push('APP_SECRET: required in production (at least 32 random characters)');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);

  const e = parsed.data;
  const development = e.NODE_ENV !== 'production';
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    database: e.DATABASE_URL
      ? { engine: 'postgresql', url: e.DATABASE_URL }
      : { engine: 'sqlite', path: resolve(e.DATA_DIR, 'caller-memory.db') },
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    graphqlSandbox: e.GRAPHQL_SANDBOX ?? development,
    graphqlIntrospection: e.GRAPHQL_INTROSPECTION ?? development,
    appSecret: e.APP_SECRET ?? DEV_SECRET,
    bootstrapApiKey: e.BOOTSTRAP_API_KEY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
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
    },
    purgeIntervalMs: e.PURGE_INTERVAL_SECONDS * 1000,
    queryLimits: { maxDepth: e.QUERY_MAX_DEPTH, maxCost: e.QUERY_MAX_COST },
  };
}
