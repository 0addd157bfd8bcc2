import { resolve } from 'node:path';

import { ConfigError, loadConfig } from '../../src/config';
import { DEFAULT_MEMORY_RULES } from '../../src/shared/memory-rules';

describe('config', () => {
  it('defaults to the SQLite file in ./data, port 4000 and development settings', () => {
    expect(loadConfig({})).toEqual({
      env: 'development',
      port: 4000,
      host: '0.0.0.0',
      logLevel: 'info',
      database: { engine: 'sqlite', path: resolve('data', 'caller-memory.db') },
      bodyLimitBytes: 65536,
      graphqlSandbox: true,
      graphqlIntrospection: true,
      appSecret: expect.any(String),
      bootstrapApiKey: undefined,
      shutdownTimeoutMs: 10000,
      memory: DEFAULT_MEMORY_RULES,
      purgeIntervalMs: 300000,
      queryLimits: { maxDepth: 10, maxCost: 5000 },
    });
  });

  it('reads the caller-memory rules, with partial weight overrides', () => {
    const config = loadConfig({
      DEFAULT_REGION: 'gb',
      NON_IDENTIFYING_KEYS: 'Call_Id, ticket',
      IDENTITY_WEIGHTS: '{"externalId":0.5,"ani":{"voip":0.1}}',
      INTENT_TTL_DAYS: '10',
      VARIABLE_TTL_SECONDS: '60',
      MAX_VARIABLES_PER_REQUEST: '5',
      MAX_VARIABLE_VALUE_LENGTH: '10',
      VARIABLE_BUDGET_BYTES: '2048',
      PROVISIONAL_TTL_DAYS: '1',
    });
    expect(config.memory).toEqual({
      defaultRegion: 'GB',
      nonIdentifyingKeys: ['call_id', 'ticket'],
      weights: { ...DEFAULT_MEMORY_RULES.weights, externalId: 0.5, ani: { ...DEFAULT_MEMORY_RULES.weights.ani, voip: 0.1 } },
      intentTtlMs: 10 * 86_400_000,
      variableTtlSeconds: 60,
      variableLimits: { maxPerRequest: 5, maxValueLength: 10, budgetBytes: 2048 },
      provisionalTtlMs: 86_400_000,
    });
  });

  it('reports a malformed or unknown weight override', () => {
    expect(() => loadConfig({ IDENTITY_WEIGHTS: 'nope' })).toThrow('IDENTITY_WEIGHTS: must be a JSON object');
    expect(() => loadConfig({ IDENTITY_WEIGHTS: '{"anni":1}' })).toThrow('IDENTITY_WEIGHTS');
    expect(() => loadConfig({ IDENTITY_WEIGHTS: '{"externalId":2}' })).toThrow('IDENTITY_WEIGHTS.externalId');
  });

  it('chooses PostgreSQL when DATABASE_URL is a postgres URL and puts SQLite under DATA_DIR otherwise', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cm' }).database).toEqual({
      engine: 'postgresql',
      url: 'postgres://u@db:5432/cm',
    });
    expect(loadConfig({ DATA_DIR: '/var/lib/cm' }).database).toEqual({
      engine: 'sqlite',
      path: '/var/lib/cm/caller-memory.db',
    });
  });

  it('turns Sandbox and introspection off in production unless asked for', () => {
    const secret = 'x'.repeat(32);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: secret })).toMatchObject({
      graphqlSandbox: false,
      graphqlIntrospection: false,
      appSecret: secret,
    });
    expect(
      loadConfig({ NODE_ENV: 'production', APP_SECRET: secret, GRAPHQL_SANDBOX: 'true', GRAPHQL_INTROSPECTION: '1' }),
    ).toMatchObject({ graphqlSandbox: true, graphqlIntrospection: true });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 4000, database: { engine: 'sqlite' } });
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        NODE_ENV: 'staging',
        DATABASE_URL: 'mysql://db/cm',
        LOG_LEVEL: 'loud',
        BOOTSTRAP_API_KEY: 'sk_live_nope',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'BOOTSTRAP_API_KEY',
      'DATABASE_URL',
      'LOG_LEVEL',
      'NODE_ENV',
      'PORT',
    ]);
    expect((error as ConfigError).message).toContain('DATABASE_URL: must be a postgres:// URL');
  });

  it('requires a long APP_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('APP_SECRET: required in production');
    expect(() => loadConfig({ NODE_ENV: 'production', APP_SECRET: 'short' })).toThrow(
      'APP_SECRET: must be at least 32 characters',
    );
  });

  it('accepts a well-formed BOOTSTRAP_API_KEY', () => {
    const key = `sk_test_${'a1'.repeat(21)}b`;
    expect(loadConfig({ BOOTSTRAP_API_KEY: key }).bootstrapApiKey).toBe(key);
  });
});
