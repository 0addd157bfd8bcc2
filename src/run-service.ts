/**
 * The service's body, run by src/main.ts once the configuration is read (and tracing started, when it is
 * configured): database (migrated), listen, first-start bootstrap, graceful shutdown on signals.
 * The port is bound before the first key is made: a start that cannot listen creates no key to lose, and
 * the next start makes and prints it. Until the bootstrap is done `/readyz` answers 503 (starting).
 */
import { createApp } from './app';
import type { Config } from './config';
import { initOrm } from './db/orm';
import type { DrainState } from './http/drain-state';
import { createHttpServer } from './http/server';
import type { Logger } from './logging/logger';
import { schedulePurge } from './maintenance/purge';
import { drainAndClose } from './shutdown';
import { databaseProblem, listenProblem } from './startup-failure';
import { createMetricsServer } from './telemetry/metrics-server';
import type { Tracing } from './telemetry/tracing';
import { bootstrapTenancy } from './tenancy/bootstrap';

function printFirstKey(key: string, config: Config): void {
  const base = `http://localhost:${config.port}`;
  process.stdout.write(
    [
      '',
      '  Caller Memory: first start. Your test API key, an admin key (shown once, store it now):',
      '',
      `    ${key}`,
      '',
      `  Try:  curl -H "Authorization: Bearer ${key}" -H 'Content-Type: application/json' \\`,
      `          -d '{"call_id":"call_001","identity_hints":{"ani":"4155551234"}}' ${base}/v1/calls/start`,
      `  Dashboard (sign in with this key): ${base}/dashboard`,
      ...(config.graphqlSandbox ? [`  GraphQL Sandbox: ${base}/graphql   offline explorer: ${base}/explorer`] : []),
      '',
    ].join('\n') + '\n',
  );
}

/** Runs the service until a signal stops it; `tracing` (when on) is flushed and shut down last. */
export async function runService(config: Config, logger: Logger, tracing?: Tracing): Promise<void> {
  const orm = await initOrm(config.database, { onCheckpointWarning: (message) => logger.warn(message) }).catch((error: unknown) => {
    throw databaseProblem(error, config.database) ?? error;
  });
  const drain: DrainState = { draining: false, starting: true };
  const { app, apollo, keys, services, requestLog } = await createApp({ config, orm, logger, drain, traceRequest: tracing?.joinRequest });
  // Once per process, not per app (telemetry/service-metrics.ts).
  services.telemetry.collectProcessMetrics();
  const metricsServer = config.telemetry.metricsPort === undefined ? undefined : createMetricsServer(services.telemetry);
  const stopPurge = schedulePurge(orm, services, config.purgeIntervalMs, logger, { requestLogRetentionMs: config.requestLog.retentionMs });

  const http = createHttpServer(app, config.http, drain, logger);
  if (tracing) logger.info({ instrumentedLayers: tracing.bypassUntraced(http.server, app.router) }, 'tracing: requests not traced skip the instrumentations');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stopPurge();
    // SIGTERM comes from an orchestrator whose load balancer must notice /readyz first; SIGINT is Ctrl-C
    // at a terminal, where nobody balances traffic: drain what is in flight without the delay.
    const drainDelayMs = signal === 'SIGINT' ? 0 : config.shutdownDrainDelayMs;
    drainAndClose({ http, apollo, orm, logger, requestLog, metricsServer }, { drainDelayMs, timeoutMs: config.shutdownTimeoutMs })
      // Last: the spans of the requests drained above are exported before the process ends.
      .then(async () => {
        if (tracing && !(await tracing.shutdown())) logger.warn('the trace collector did not take the last spans; they are dropped');
      })
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  // Before listening: a signal that comes as soon as the port is announced must find its handler.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  const port = await http.listen(config.port, config.host).catch((error: unknown) => {
    throw listenProblem(error, config.port, config.host) ?? error;
  });
  if (metricsServer) {
    const { metricsPort, metricsHost } = config.telemetry;
    logger.info({ port: await metricsServer.listen(metricsPort!, metricsHost), host: metricsHost }, 'metrics listening');
  }
  const boot = await bootstrapTenancy(orm.em.fork(), keys, config.bootstrapApiKey);
  if (boot.registeredBootstrapKey) logger.info('registered BOOTSTRAP_API_KEY for the default organisation');
  drain.starting = false;
  if (boot.firstKey) printFirstKey(boot.firstKey, { ...config, port });
  logger.info({ port, host: config.host, database: config.database.engine }, 'listening');
}
