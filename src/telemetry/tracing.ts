/**
 * OpenTelemetry traces (issue 13), on only when an OTLP endpoint is configured: src/main.ts requires this
 * module then, and only then, before the rest of the service is loaded (the instrumentations patch http,
 * express, pg and graphql as they are first required). Spans go to `<endpoint>/v1/traces` as OTLP/HTTP
 * JSON, batched, sent from a worker thread (worker-span-exporter.ts). A W3C `traceparent` on a request makes
 * its span a child of the caller's; outgoing HTTP carries the current one.
 *
 * What a span may say: the route pattern (`http.route`, `POST /v1/calls/start`), never the raw path or
 * query string, which carry refs, signed screen-pop links and whatever a client put there; SQL text with its
 * placeholders, never the parameters (enhancedDatabaseReporting off) nor the literals the ORM writes into
 * some statements (sql-text.ts); GraphQL documents with their literals replaced by `*`, never variables
 * (allowValues off); no error messages (redacting-exporter.ts).
 */
import type { IncomingMessage, Server } from 'node:http';

import type { Span } from '@opentelemetry/api';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { envDetector, hostDetector, serviceInstanceIdDetector } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ATTR_DB_QUERY_TEXT } from '@opentelemetry/semantic-conventions';
import type { RequestHandler } from 'express';

import { RedactingExporter } from './redacting-exporter';
import { withoutLiterals } from './sql-text';
import { callerTraceOf, DoorSampler, requestSpansSampler, type DoorSampling } from './trace-sampling';
import { TracedAtTheDoor, type RouterLike } from './untraced-bypass';
import { WorkerSpanExporter } from './worker-span-exporter';

/** The span attribute naming a request's `X-Request-Id`. */
export const REQUEST_ID_ATTRIBUTE = 'caller_memory.request_id';

/** Started tracing: the middleware joining each request to its span, and the shutdown that flushes spans. */
export interface Tracing {
  /** Names the request id on the request's server span and leaves its trace id for the access log. */
  joinRequest: RequestHandler;
  /**
   * Lets the requests `server`'s door does not trace skip the HTTP and Express instrumentations
   * (untraced-bypass.ts); returns how many of the router's layers the Express instrumentation wraps.
   */
  bypassUntraced(server: Server, router: RouterLike): number;
  /** Exports the spans still buffered, then stops the SDK; false when the collector did not take them in time. */
  shutdown(): Promise<boolean>;
}

/** Most time a shutdown waits for the collector to take the last spans (then they are dropped). */
const FLUSH_TIMEOUT_MS = 5000;

/** Where spans go and which requests make them. */
export interface TracingOptions {
  otlpEndpoint: string;
  serviceName: string;
  /** How many requests are traced when their caller did not decide (trace-sampling.ts). */
  sampling: DoorSampling;
}

/** Starts the OpenTelemetry SDK with the HTTP, Express, GraphQL and pg instrumentations, exporting to `otlpEndpoint`. */
export function startTracing({ otlpEndpoint, serviceName, sampling }: TracingOptions): Tracing {
  // Each incoming request's server span, by request, for the middleware below.
  const serverSpans = new WeakMap<IncomingMessage, Span>();
  const door = new DoorSampler(sampling);
  const atTheDoor = new TracedAtTheDoor((request) => door.traced(request));
  const sdk = new NodeSDK({
    serviceName,
    traceExporter: new RedactingExporter(new WorkerSpanExporter(`${otlpEndpoint}/v1/traces`)),
    // Requests are sampled at the door (trace-sampling.ts); every span of a traced request is kept.
    sampler: requestSpansSampler(),
    // Traces only: no metrics or logs through OpenTelemetry (Prometheus serves the metrics).
    metricReaders: [],
    logRecordProcessors: [],
    resourceDetectors: [envDetector, hostDetector, serviceInstanceIdDetector],
    instrumentations: [
      new HttpInstrumentation({
        // The service's own server decides before the instrumentation sees a request (bypassUntraced); any
        // other server's untraced request costs it little: no attributes, no span, tracing suppressed.
        ignoreIncomingRequestHook: (request) => !atTheDoor.isTraced(request),
        // Undefined drops the attribute: the route pattern (http.route) says where the request went.
        startIncomingSpanHook: () => ({ 'url.path': undefined, 'url.query': undefined }),
        requestHook: (span, request) => {
          // Called for outgoing requests too: only an incoming one (no setHeader) is a request we serve.
          if (!('setHeader' in request)) serverSpans.set(request, span);
        },
      }),
      // Middleware and router spans time only the synchronous part of each layer (the instrumentation's
      // caveat) and cost a span each per request: the handler's span and the route (http.route, which the
      // server span is named by) say where a request went.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER] }),
      new GraphQLInstrumentation({ allowValues: false, ignoreResolveSpans: true, mergeItems: true }),
      new PgInstrumentation({
        enhancedDatabaseReporting: false,
        // Statements outside a request (start-up, purges) would each start a trace of their own.
        requireParentSpan: true,
        // A pool checkout and a connect span per statement would double a request's spans; the statements say it.
        ignoreConnectSpans: true,
        requestHook: (span, { query }) => span.setAttribute(ATTR_DB_QUERY_TEXT, withoutLiterals(query.text)),
      }),
    ],
  });
  sdk.start();
  const joinRequest: RequestHandler = (req, res, next) => {
    const span = serverSpans.get(req);
    if (span) {
      span.setAttribute(REQUEST_ID_ATTRIBUTE, res.locals.requestId);
      res.locals.traceId = span.spanContext().traceId;
    } else {
      // Untraced here: the access log still names the caller's trace, if it sent one.
      res.locals.traceId = callerTraceOf(req.headers.traceparent)?.traceId;
    }
    next();
  };
  const shutdown = async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), FLUSH_TIMEOUT_MS).unref()));
    // A collector that refuses or is gone loses the last spans; it does not fail the service's shutdown.
    const flushed = sdk.shutdown().then(
      () => true,
      () => false,
    );
    return Promise.race([flushed, late]).finally(() => clearTimeout(timer));
  };
  const bypassUntraced = (server: Server, router: RouterLike) => {
    atTheDoor.bypassServer(server);
    return atTheDoor.bypassLayers(router);
  };
  return { joinRequest, bypassUntraced, shutdown };
}
