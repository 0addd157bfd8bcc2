/**
 * Typed configuration, read once at boot. This is the only module that reads `process.env`
 * (and the optional `.env` file). Every problem is reported at once by `ConfigError`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

import { isWellFormedApiKey } from './tenancy/api-key-format';

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
});

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
  };
}
