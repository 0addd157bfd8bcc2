/**
 * METRICS_PORT: a plain HTTP listener of its own that answers only GET /metrics, without credentials.
 * Bind it (METRICS_HOST, 127.0.0.1 by default) where only Prometheus reaches. It shares nothing with the
 * service's port: no API, no pages, no key lookups, so a scrape never waits on the database's pool.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { reasonPhrase } from '../http/error-body';
import { listenProblem } from '../startup-failure';
import { sendMetrics } from './metrics.routes';
import type { ServiceMetrics } from './service-metrics';

/** The listener and how to stop it. */
export interface MetricsServer {
  /** Listens; resolves with the bound port (0 picks a free one). */
  listen(port: number, host: string): Promise<number>;
  /** Stops listening and ends its connections (an interrupted scrape is simply retried by Prometheus). */
  close(): Promise<void>;
}

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ error: reasonPhrase(status), message }));
}

/** A server answering GET (and HEAD) /metrics from `metrics`; any other path is 404, another method 405. */
export function createMetricsServer(metrics: ServiceMetrics): MetricsServer {
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0].replace(/\/+$/, '').toLowerCase();
    if (path !== '/metrics') return refuse(res, 404, 'This port serves only GET /metrics');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Use GET', { Allow: 'GET, HEAD' });
    sendMetrics(metrics).then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => refuse(res, 500, 'Reading the metrics failed'),
    );
  };
  const server: Server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000 }, handle);
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', (error) => reject(listenProblem(error, port, host, { port: 'METRICS_PORT', host: 'METRICS_HOST' }) ?? error));
        server.listen(port, host, () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
