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
      database: { engine: 'sqlite', path: resolve('data', 'caller-memory.db'), walLimitBytes: 64 * 1024 * 1024 },
      bodyLimitBytes: 65536,
      graphqlSandbox: true,
      graphqlIntrospection: true,
      appSecret: expect.any(String),
      bootstrapApiKey: undefined,
      shutdownTimeoutMs: 10000,
      shutdownDrainDelayMs: 5000,
      http: { headersTimeoutMs: 5000, requestTimeoutMs: 10000, keepAliveTimeoutMs: 5000, maxConnections: 10000 },
      memory: DEFAULT_MEMORY_RULES,
      purgeIntervalMs: 300000,
      pages: { publicUrl: undefined, screenPopTtlMs: 43_200_000, screenPopFrameAncestors: [], sessionTtlMs: 28_800_000 },
      metrics: { csatVariable: 'csat', repeatWindowDays: 7, transferWindowMinutes: 15 },
      trustProxy: false,
      corsOrigins: [],
      authThrottle: { maxFailures: 20, windowMs: 60_000 },
      queryLimits: { maxDepth: 10, maxCost: 5000, maxRootFields: 20, maxAliases: 50, timeoutMs: 5000 },
      limits: { redisUrl: undefined, requestsPerMinute: 6000, windowMs: 60_000, monthlyQuota: 0 },
      requestLog: { enabled: true, retentionMs: 14 * 86_400_000, queueLimit: 10_000 },
      telemetry: { metricsToken: undefined, metricsPort: undefined, metricsHost: '127.0.0.1', otlpEndpoint: undefined, sampleRatio: 0.05, maxTracesPerSecond: 1, ignoredSamplerSettings: [], serviceName: 'caller-memory' },
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
      CALL_RETENTION_DAYS: '90',
      REPLAY_WINDOW_HOURS: '6',
    });
    expect(config.memory).toEqual({
      defaultRegion: 'GB',
      nonIdentifyingKeys: ['call_id', 'ticket'],
      weights: { ...DEFAULT_MEMORY_RULES.weights, externalId: 0.5, ani: { ...DEFAULT_MEMORY_RULES.weights.ani, voip: 0.1 } },
      intentTtlMs: 10 * 86_400_000,
      variableTtlSeconds: 60,
      variableLimits: { maxPerRequest: 5, maxValueLength: 10, budgetBytes: 2048 },
      provisionalTtlMs: 86_400_000,
      callRetentionMs: 90 * 86_400_000,
      replayWindowMs: 6 * 3_600_000,
    });
  });

  it('keeps calls forever unless CALL_RETENTION_DAYS is set, and bounds it', () => {
    expect(loadConfig({}).memory.callRetentionMs).toBe(0);
    expect(() => loadConfig({ CALL_RETENTION_DAYS: '-1' })).toThrow('CALL_RETENTION_DAYS');
    expect(() => loadConfig({ CALL_RETENTION_DAYS: '1.5' })).toThrow('CALL_RETENTION_DAYS');
    expect(() => loadConfig({ CALL_RETENTION_DAYS: '36501' })).toThrow('CALL_RETENTION_DAYS');
    expect(() => loadConfig({ CALL_RETENTION_DAYS: '1', REPLAY_WINDOW_HOURS: '48' })).toThrow('CALL_RETENTION_DAYS: must keep calls at least as long as REPLAY_WINDOW_HOURS');
    expect(loadConfig({ CALL_RETENTION_DAYS: '2', REPLAY_WINDOW_HOURS: '48' }).memory.callRetentionMs).toBe(2 * 86_400_000);
  });

  it('replays starts exactly for 48 hours unless REPLAY_WINDOW_HOURS says otherwise, and bounds it', () => {
    expect(loadConfig({}).memory.replayWindowMs).toBe(48 * 3_600_000);
    expect(() => loadConfig({ REPLAY_WINDOW_HOURS: '0' })).toThrow('REPLAY_WINDOW_HOURS');
    expect(() => loadConfig({ REPLAY_WINDOW_HOURS: '1.5' })).toThrow('REPLAY_WINDOW_HOURS');
    expect(() => loadConfig({ REPLAY_WINDOW_HOURS: '8761' })).toThrow('REPLAY_WINDOW_HOURS');
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
      connectTimeoutMs: 5000,
      poolSize: 10,
      statementTimeoutMs: 30_000,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cm', DATABASE_CONNECT_TIMEOUT_MS: '1500' }).database).toMatchObject({ connectTimeoutMs: 1500 });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cm', DATABASE_POOL_SIZE: '3' }).database).toMatchObject({ poolSize: 3 });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cm', DATABASE_POOL_SIZE: '0' })).toThrow('DATABASE_POOL_SIZE');
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cm' }).database).toMatchObject({ statementTimeoutMs: 30_000 });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cm', DATABASE_STATEMENT_TIMEOUT_MS: '0' }).database).toMatchObject({ statementTimeoutMs: 0 });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cm', DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toThrow('DATABASE_STATEMENT_TIMEOUT_MS');
    // A few ms (or seconds written as ms) cancels the start's own statements and every request's.
    for (const few of ['1', '30', '99']) {
      expect(() => loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cm', DATABASE_STATEMENT_TIMEOUT_MS: few })).toThrow(
        'DATABASE_STATEMENT_TIMEOUT_MS: must be 0 (no timeout) or at least 100 (it is in milliseconds)',
      );
    }
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cm', DATABASE_STATEMENT_TIMEOUT_MS: '100' }).database).toMatchObject({ statementTimeoutMs: 100 });
    expect(loadConfig({ DATA_DIR: '/var/lib/cm', SQLITE_WAL_LIMIT_MB: '0.5' }).database).toEqual({
      engine: 'sqlite',
      path: '/var/lib/cm/caller-memory.db',
      walLimitBytes: 512 * 1024,
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

  it('reads the GraphQL limits: depth, cost, root fields, aliases and time', () => {
    expect(
      loadConfig({ QUERY_MAX_DEPTH: '5', QUERY_MAX_COST: '900', QUERY_MAX_ROOT_FIELDS: '3', QUERY_MAX_ALIASES: '0', QUERY_TIMEOUT_MS: '250' })
        .queryLimits,
    ).toEqual({ maxDepth: 5, maxCost: 900, maxRootFields: 3, maxAliases: 0, timeoutMs: 250 });
    expect(() => loadConfig({ QUERY_MAX_ROOT_FIELDS: '0', QUERY_TIMEOUT_MS: '10' })).toThrow(/QUERY_MAX_ROOT_FIELDS[\s\S]*QUERY_TIMEOUT_MS/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 4000, database: { engine: 'sqlite' } });
    // Blank too: a number read from ' ' would be 0 (no statement timeout, calls kept forever, any port).
    const blank = loadConfig({ PORT: ' ', DATABASE_URL: 'postgres://u@db:5432/cm', DATABASE_STATEMENT_TIMEOUT_MS: ' ', CALL_RETENTION_DAYS: '\t', REPLAY_WINDOW_HOURS: ' ' });
    expect(blank).toMatchObject({ port: 4000, database: { statementTimeoutMs: 30_000 } });
    expect(blank).toEqual(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cm' }));
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

  it.each([
    ['postgres://u@db:5432', 'DATABASE_URL: names no database: add it as the path, postgres://user@host:5432/<database>'],
    ['postgres://u@db:5432/', 'DATABASE_URL: names no database: add it as the path, postgres://user@host:5432/<database>'],
    ['postgres://u:p%ZZw0rd@db:5432/cm', 'DATABASE_URL: has a user name or password with a broken %-escape (write % as %25)'],
    ['postgres://u@[::1:5432/cm', 'DATABASE_URL: is not a valid URL (host and port as host:5432, a password with @ : / # ? % written percent-encoded)'],
    ['postgres://u@db:99999/cm', 'DATABASE_URL: is not a valid URL (host and port as host:5432, a password with @ : / # ? % written percent-encoded)'],
  ])('refuses the malformed DATABASE_URL %s with a configuration error naming it, never the password', (url, message) => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: url });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([message]);
    expect((error as ConfigError).message).not.toContain('ZZw0rd');
  });

  it('requires a long APP_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('APP_SECRET: required in production');
    expect(() => loadConfig({ NODE_ENV: 'production', APP_SECRET: 'short' })).toThrow(
      'APP_SECRET: must be at least 32 characters',
    );
  });

  it('refuses the published development APP_SECRET in production', () => {
    const published = loadConfig({ NODE_ENV: 'development' }).appSecret;
    expect(() => loadConfig({ NODE_ENV: 'production', APP_SECRET: published })).toThrow(
      'APP_SECRET: is the published development secret',
    );
    // Outside production it stays the default, so development needs no setup.
    expect(loadConfig({ NODE_ENV: 'test', APP_SECRET: published }).appSecret).toBe(published);
  });

  it('reads the HTTP timeouts, the connection cap and the drain delay, each bounded by what contains it', () => {
    expect(
      loadConfig({ HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000', KEEP_ALIVE_TIMEOUT_MS: '3000', MAX_CONNECTIONS: '50', SHUTDOWN_DRAIN_DELAY_MS: '0' }),
    ).toMatchObject({
      http: { headersTimeoutMs: 1000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 3000, maxConnections: 50 },
      shutdownDrainDelayMs: 0,
    });
    // Unset, the headers timeout and the drain delay fit inside what bounds them.
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '2000', SHUTDOWN_TIMEOUT_MS: '3000' })).toMatchObject({
      http: { headersTimeoutMs: 2000, requestTimeoutMs: 2000 },
      shutdownDrainDelayMs: 1500,
    });
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '3000', REQUEST_TIMEOUT_MS: '2000' })).toThrow('HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS');
    expect(() => loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '4000' })).toThrow(
      'SHUTDOWN_DRAIN_DELAY_MS: must not exceed SHUTDOWN_TIMEOUT_MS',
    );
    expect(() => loadConfig({ MAX_CONNECTIONS: '0', KEEP_ALIVE_TIMEOUT_MS: '10' })).toThrow(/KEEP_ALIVE_TIMEOUT_MS[\s\S]*MAX_CONNECTIONS/);
  });

  it('accepts a well-formed BOOTSTRAP_API_KEY', () => {
    const key = `sk_test_${'a1'.repeat(21)}b`;
    expect(loadConfig({ BOOTSTRAP_API_KEY: key }).bootstrapApiKey).toBe(key);
  });

  it('reads the page settings: PUBLIC_URL without its trailing slash, the link and session lengths, framing origins', () => {
    expect(
      loadConfig({
        PUBLIC_URL: 'https://memory.example.com/cm/',
        SCREEN_POP_TTL_HOURS: '1.5',
        DASHBOARD_SESSION_HOURS: '2',
        SCREEN_POP_FRAME_ANCESTORS: 'https://flex.twilio.com, https://*.five9.com',
      }).pages,
    ).toEqual({
      publicUrl: 'https://memory.example.com/cm',
      screenPopTtlMs: 5_400_000,
      screenPopFrameAncestors: ['https://flex.twilio.com', 'https://*.five9.com'],
      sessionTtlMs: 7_200_000,
    });
  });

  it('refuses a PUBLIC_URL with a user name or password, or with a ";" in its path (no cookie path can hold it)', () => {
    for (const bad of ['https://ops:secret@memory.example.com', 'https://memory.example.com/cm;v=1', 'https://memory.example.com/a;b/']) {
      expect(() => loadConfig({ PUBLIC_URL: bad })).toThrow('PUBLIC_URL');
    }
  });

  it('keeps PUBLIC_URL as the URL parser writes it, so links, asset paths and the cookie path agree', () => {
    const publicUrl = (text: string) => loadConfig({ PUBLIC_URL: text }).pages.publicUrl;
    expect(publicUrl('https://memory.example.com/call memory/')).toBe('https://memory.example.com/call%20memory');
    expect(publicUrl('https://Memory.Example.com:443/CM/')).toBe('https://memory.example.com/CM');
    expect(publicUrl('https://memory.example.com/ä"')).toBe('https://memory.example.com/%C3%A4%22');
    expect(publicUrl('http://10.0.0.5:4000//')).toBe('http://10.0.0.5:4000');
  });

  it('refuses a PUBLIC_URL that is not an absolute http(s) URL or carries a query, and framing origins that are not https origins', () => {
    for (const bad of ['memory.example.com', 'ftp://memory.example.com', 'https://memory.example.com/?x=1', 'javascript:alert(1)']) {
      expect(() => loadConfig({ PUBLIC_URL: bad })).toThrow('PUBLIC_URL');
    }
    for (const bad of ['http://flex.twilio.com', '*', "'unsafe-inline'", 'https://a.com/path', 'https://a.com;script-src']) {
      expect(() => loadConfig({ SCREEN_POP_FRAME_ANCESTORS: bad })).toThrow('SCREEN_POP_FRAME_ANCESTORS');
    }
  });

  it('reads the metric definitions and refuses a CSAT variable name that could not be a variable', () => {
    expect(loadConfig({ METRICS_CSAT_VARIABLE: 'nps', METRICS_REPEAT_WINDOW_DAYS: '3', METRICS_TRANSFER_WINDOW_MINUTES: '0' }).metrics).toEqual({
      csatVariable: 'nps',
      repeatWindowDays: 3,
      transferWindowMinutes: 0,
    });
    expect(() => loadConfig({ METRICS_CSAT_VARIABLE: 'csat score' })).toThrow('METRICS_CSAT_VARIABLE');
  });
});
