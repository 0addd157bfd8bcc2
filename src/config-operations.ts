/**
 * The settings of running the service as a service (issue 13): rate limits and quotas, the request log,
 * metrics and traces. config.ts parses them with the rest (this module reads no environment itself).
 */
import { z } from 'zod';

const DAY_MS = 24 * 60 * 60 * 1000;

/** 'true'/'1' or 'false'/'0'. */
export const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** The environment variables, merged into config.ts's schema. */
export const operationsEnv = {
  /** Redis for the shared rate-limit counters (several instances); unset: PostgreSQL, or in process on SQLite. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
    .optional(),
  /** Requests per minute per organisation on /v1 and /graphql (rolling window, 10% grace); 0: no limit. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(6000),
  /** The rolling window's length in seconds (60; shorter only to test recovery). */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Successful starts and ends per organisation per calendar month (UTC); 0: unlimited (self-hosted default). */
  MONTHLY_QUOTA: z.coerce.number().int().min(0).max(2_000_000_000).default(0),
  /** Record every /v1 request in the request log. */
  REQUEST_LOG: booleanFlag.default(true),
  /** Days the request log keeps an entry. */
  REQUEST_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  /** Most entries waiting to be written; past it new entries are dropped and counted. */
  REQUEST_LOG_QUEUE_LIMIT: z.coerce.number().int().min(10).max(1_000_000).default(10_000),
  /** Bearer token that /metrics accepts besides an admin key. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** A separate port serving only /metrics, without a key (bind it where only Prometheus reaches). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Interface of METRICS_PORT. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** OTLP/HTTP endpoint of a trace collector (e.g. http://127.0.0.1:4318); unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).optional(),
  /**
   * Share of requests traced among those whose caller did not decide (no valid `traceparent`), beyond the
   * first of each second; 0: only those a caller's `traceparent` samples (telemetry/trace-sampling.ts).
   */
  TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(0.05),
  /**
   * Most requests traced per second and instance among those whose caller did not decide; 0: no cap. The
   * default, 1, is the first request of each second (X-Ray's reservoir): each further trace a second cost every
   * request on this machine about half a point of throughput (docs/decisions.md, "Issue 13, tenth session").
   */
  TRACE_MAX_PER_SECOND: z.coerce.number().int().min(0).max(1_000_000).default(1),
  /** The SDK's own sampler variables are not used (TRACE_SAMPLE_RATIO decides); read only to warn that they are set. */
  OTEL_TRACES_SAMPLER: z.string().optional(),
  OTEL_TRACES_SAMPLER_ARG: z.string().optional(),
  /** The service name the traces carry. */
  OTEL_SERVICE_NAME: z.string().min(1).max(200).default('caller-memory'),
};

type OperationsEnv = z.output<z.ZodObject<typeof operationsEnv>>;

/** Rate limits and quotas: the defaults, each organisation may have its own (organisations table). */
export interface LimitsConfig {
  /** Shared counters when set; else PostgreSQL (when the database is) or this process. */
  redisUrl?: string;
  /** Default requests per window per organisation; 0: unlimited. */
  requestsPerMinute: number;
  /** Rolling window, in milliseconds. */
  windowMs: number;
  /** Default monthly quota of successful starts and ends; 0: unlimited. */
  monthlyQuota: number;
}

/** The request log of /v1 requests. */
export interface RequestLogConfig {
  enabled: boolean;
  retentionMs: number;
  queueLimit: number;
}

/** Prometheus metrics and OpenTelemetry traces. */
export interface TelemetryConfig {
  metricsToken?: string;
  metricsPort?: number;
  metricsHost: string;
  /** OTLP/HTTP endpoint; unset: tracing off. */
  otlpEndpoint?: string;
  /** Share of requests traced when their caller did not decide (0 to 1). */
  sampleRatio: number;
  /** Most of those traced in a second (0: no cap). */
  maxTracesPerSecond: number;
  /** The SDK sampler variables set in the environment, which tracing does not use (start-up warns). */
  ignoredSamplerSettings: string[];
  serviceName: string;
}

/** What config.ts adds to Config. */
export interface OperationsConfig {
  limits: LimitsConfig;
  requestLog: RequestLogConfig;
  telemetry: TelemetryConfig;
}

/** Builds the operations part of Config from the parsed environment. */
export function operationsConfig(e: OperationsEnv): OperationsConfig {
  return {
    limits: {
      redisUrl: e.REDIS_URL,
      requestsPerMinute: e.RATE_LIMIT_PER_MINUTE,
      windowMs: e.RATE_LIMIT_WINDOW_SECONDS * 1000,
      monthlyQuota: e.MONTHLY_QUOTA,
    },
    requestLog: { enabled: e.REQUEST_LOG, retentionMs: e.REQUEST_LOG_RETENTION_DAYS * DAY_MS, queueLimit: e.REQUEST_LOG_QUEUE_LIMIT },
    telemetry: {
      metricsToken: e.METRICS_TOKEN,
      metricsPort: e.METRICS_PORT,
      metricsHost: e.METRICS_HOST,
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, ''),
      sampleRatio: e.TRACE_SAMPLE_RATIO,
      maxTracesPerSecond: e.TRACE_MAX_PER_SECOND,
      ignoredSamplerSettings: (['OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'] as const).filter((name) => e[name] !== undefined),
      serviceName: e.OTEL_SERVICE_NAME,
    },
  };
}
