/**
 * Entry point: reads the configuration, starts tracing when an OTLP endpoint is configured, then loads and
 * runs the service (run-service.ts). Tracing must start before http, express, pg and graphql are first
 * required (its instrumentations patch them as they load), so this file imports none of them: the rest of
 * the service is required only after that point, and the configuration read here is passed on.
 */
import 'reflect-metadata';

import { loadConfig } from './config';
import { createLogger, type Logger } from './logging/logger';
import { describeStartupFailure, secretsOf } from './startup-failure';

/** What a failed start may print: set once the configuration is read. */
let failure: { secrets: string[]; logger?: Logger } = { secrets: [] };

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  failure = { secrets: secretsOf(config.database, [config.appSecret, config.bootstrapApiKey]), logger };
  // Required, not imported: without an endpoint none of the OpenTelemetry SDK is loaded.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { otlpEndpoint, serviceName, sampleRatio, maxTracesPerSecond, ignoredSamplerSettings } = config.telemetry;
  if (otlpEndpoint && ignoredSamplerSettings.length > 0) {
    logger.warn({ ignored: ignoredSamplerSettings, sampleRatio }, 'traces are sampled by TRACE_SAMPLE_RATIO; the OpenTelemetry sampler variables set here are not used');
  }
  const tracing = otlpEndpoint ? (require('./telemetry/tracing') as typeof import('./telemetry/tracing')).startTracing({ otlpEndpoint, serviceName, sampling: { ratio: sampleRatio, maxPerSecond: maxTracesPerSecond } }) : undefined;
  const { runService } = require('./run-service') as typeof import('./run-service');
  /* eslint-enable @typescript-eslint/no-require-imports */
  await runService(config, logger, tracing);
}

main().catch((error: unknown) => {
  const { text, exitCode } = describeStartupFailure(error, failure.secrets);
  failure.logger?.debug({ err: error }, 'start-up failed');
  process.stderr.write(`${text}\n`);
  process.exit(exitCode);
});
