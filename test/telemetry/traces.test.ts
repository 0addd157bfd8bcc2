/**
 * Traces (issue 13): the real service (src/main.ts as a child process) with OTEL_EXPORTER_OTLP_ENDPOINT
 * pointing at an OTLP/HTTP receiver in the test. A request carrying a W3C `traceparent` joins the caller's
 * trace, its server span names the route pattern and the request id, the access log names the trace, the
 * Express and GraphQL spans (and on PostgreSQL the pg spans) hang in the same trace, the spans still
 * buffered are flushed on SIGTERM, and nothing exported carries a phone number, a customer ref, a screen-pop
 * token or a query string. Without the endpoint nothing is exported.
 */
import { randomBytes } from 'node:crypto';

import { createScratchDatabase, ENGINES, type Engine, type ScratchDatabase } from '../support/scratch-database';
import { SERVER_SPAN, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { killServices, startService, type ServiceProcess } from '../support/service-process';
import { generateApiKey } from '../../src/tenancy/api-key-format';
import { Environment } from '../../src/tenancy/environment';

const KEY = generateApiKey(Environment.TEST);
/** The caller's number, in the body, the query string and a GraphQL literal; in any format it must not be exported. */
const ANI = '+1 415 555 0177';
const ANI_ANYWHERE = /555\D{0,3}0177/;
const REQUEST_ID = 'trace-test-request-1';

/** A caller's W3C trace context: its trace id and the span our server span must hang under. */
function callerContext(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

function envFor(database: ScratchDatabase): Record<string, string> {
  const db: Record<string, string> = database.config.engine === 'sqlite' ? { DATA_DIR: database.config.path.replace(/\/[^/]+$/, '') } : { DATABASE_URL: database.config.url };
  return { ...db, BOOTSTRAP_API_KEY: KEY, APP_SECRET: 'traces-test-secret-'.padEnd(40, 'x') };
}

const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };

/** What the requests below left to look for in the export: the ref and screen-pop token the service answered. */
interface Sent {
  ref: string;
  token: string;
}

/** A start (with the caller's traceparent, a request id and the number in the query string), an export, the screen pop and a GraphQL start. */
async function sendRequests(service: ServiceProcess, traceparent: string): Promise<Sent> {
  const base = `http://127.0.0.1:${service.port}`;
  const start = await fetch(`${base}/v1/calls/start?ani=${encodeURIComponent(ANI)}`, {
    method: 'POST',
    headers: { ...headers, traceparent, 'X-Request-Id': REQUEST_ID },
    body: JSON.stringify({ call_id: 'trace-call-1', identity_hints: { ani: ANI } }),
  });
  expect(start.status).toBe(200);
  const answer = (await start.json()) as { customer_ref: string; flat: { screen_pop_url: string } };
  const token = answer.flat.screen_pop_url.split('/').pop()!;
  expect((await fetch(`${base}/v1/customers/${answer.customer_ref}`, { headers })).status).toBe(200);
  expect((await fetch(answer.flat.screen_pop_url.replace(/^https?:\/\/[^/]+/, base))).status).toBe(200);
  const query = `mutation { startCall(input: { callId: "trace-call-2", hints: { ani: "${ANI}" } }) { call { callId } } }`;
  const graphql = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
  expect(graphql.status).toBe(200);
  return { ref: answer.customer_ref, token };
}

/** Stops the service as an orchestrator would; resolves once it has exited (its spans flushed). */
async function stop(service: ServiceProcess): Promise<void> {
  service.child.kill('SIGTERM');
  expect(await service.exited).toBe(0);
}

const byScope = (spans: ReceivedSpan[], name: string) => spans.filter((span) => span.scope === `@opentelemetry/instrumentation-${name}`);

describe.each(ENGINES)('traces on %s', (engine: Engine) => {
  let database: ScratchDatabase;
  let receiver: OtlpReceiver;

  beforeEach(async () => {
    database = await createScratchDatabase(engine);
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    killServices();
    await receiver.close();
    await database.drop();
  });

  it('exports the request’s spans in the caller’s trace, named by route, with the request id, and none carries the caller’s data', async () => {
    const caller = callerContext();
    // Every request traced, those below without a traceparent too (the default traces a share of them).
    const service = await startService({ ...envFor(database), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, TRACE_SAMPLE_RATIO: '1', TRACE_MAX_PER_SECOND: '0' });
    const sent = await sendRequests(service, caller.traceparent);
    await stop(service);

    expect(new Set(receiver.requests)).toEqual(new Set(['POST /v1/traces application/json']));
    const spans = receiver.spans();
    const server = spans.find((span) => span.kind === SERVER_SPAN && span.attributes['http.route'] === '/v1/calls/start');
    expect(server).toMatchObject({
      name: 'POST /v1/calls/start',
      traceId: caller.traceId,
      parentSpanId: caller.spanId,
      attributes: { 'caller_memory.request_id': REQUEST_ID, 'http.response.status_code': 200 },
      resource: { 'service.name': 'caller-memory' },
    });
    const inTrace = spans.filter((span) => span.traceId === caller.traceId);
    expect(byScope(inTrace, 'express').map((span) => span.attributes['http.route'])).toContain('/v1/calls/start');

    // The other requests: by route pattern, never by path.
    const routes = spans.filter((span) => span.kind === SERVER_SPAN).map((span) => span.name);
    expect(routes).toEqual(expect.arrayContaining(['GET /v1/customers/:ref', 'GET /screen-pop/:token', 'POST /graphql']));
    const graphqlRequest = spans.find((span) => span.kind === SERVER_SPAN && span.name === 'POST /graphql')!;
    expect(byScope(spans, 'graphql').filter((span) => span.traceId === graphqlRequest.traceId).length).toBeGreaterThan(0);

    // The access log names the trace.
    const line = service.output().split('\n').find((text) => text.includes(`"requestId":"${REQUEST_ID}"`));
    expect(JSON.parse(line!)).toMatchObject({ traceId: caller.traceId, route: '/v1/calls/start' });

    const exported = receiver.bodies.join('\n');
    expect(exported).not.toMatch(ANI_ANYWHERE);
    expect(exported).not.toContain(sent.ref);
    expect(exported).not.toContain(sent.token);
    expect(spans.flatMap((span) => Object.keys(span.attributes))).not.toEqual(expect.arrayContaining(['url.path']));
    expect(spans.flatMap((span) => Object.keys(span.attributes))).not.toEqual(expect.arrayContaining(['url.query']));

    if (engine === 'postgresql') {
      const statements = byScope(inTrace, 'pg').filter((span) => span.attributes['db.query.text'] !== undefined);
      expect(statements.length).toBeGreaterThan(0);
      expect(statements[0].attributes).toMatchObject({ 'db.system.name': 'postgresql' });
      // The ORM writes some values into its statements: the trace shows `?` instead.
      for (const span of byScope(spans, 'pg')) expect(String(span.attributes['db.query.text'] ?? '')).not.toMatch(/'/);
    } else {
      expect(byScope(spans, 'pg')).toEqual([]);
    }
  }, 90_000);
});

describe('on SQLite: sampling, and no endpoint', () => {
  let database: ScratchDatabase;
  let receiver: OtlpReceiver;

  beforeEach(async () => {
    database = await createScratchDatabase('sqlite');
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    killServices();
    await receiver.close();
    await database.drop();
  });

  it('traces a request its caller sampled, never one its caller did not (which skips the instrumentations), and at TRACE_SAMPLE_RATIO those without a traceparent; the access log names the caller’s trace either way', async () => {
    // The SDK's own sampler variable is not used, and start-up says so.
    const service = await startService({ ...envFor(database), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, TRACE_SAMPLE_RATIO: '0', OTEL_TRACES_SAMPLER: 'always_on' });
    const base = `http://127.0.0.1:${service.port}`;
    const sampled = callerContext();
    const unsampled = callerContext();
    const start = (n: number, extra: Record<string, string>) =>
      fetch(`${base}/v1/calls/start`, { method: 'POST', headers: { ...headers, ...extra, 'X-Request-Id': `sampling-${n}` }, body: JSON.stringify({ call_id: `sampling-${n}`, identity_hints: { ani: ANI } }) });
    expect((await start(1, {})).status).toBe(200);
    expect((await start(2, { traceparent: sampled.traceparent })).status).toBe(200);
    expect((await start(3, { traceparent: unsampled.traceparent.replace(/-01$/, '-00') })).status).toBe(200);
    await stop(service);

    const servers = receiver.spans().filter((span) => span.kind === SERVER_SPAN);
    expect(servers.map((span) => span.traceId)).toEqual([sampled.traceId]);
    expect(new Set(receiver.spans().map((span) => span.traceId))).toEqual(new Set([sampled.traceId]));
    // Untraced requests skip the instrumentations (untraced-bypass.ts); the traced one among them still passes them all.
    expect(byScope(receiver.spans(), 'express').map((span) => span.attributes['http.route'])).toContain('/v1/calls/start');
    const bypass = service.output().split('\n').find((text) => text.includes('skip the instrumentations'));
    expect((JSON.parse(bypass!) as { instrumentedLayers: number }).instrumentedLayers).toBeGreaterThan(5);
    const lineOf = (n: number) => JSON.parse(service.output().split('\n').find((text) => text.includes(`"requestId":"sampling-${n}"`))!) as Record<string, unknown>;
    expect(lineOf(1)).not.toHaveProperty('traceId');
    expect(lineOf(2)).toMatchObject({ traceId: sampled.traceId });
    expect(lineOf(3)).toMatchObject({ traceId: unsampled.traceId });
    const warning = service.output().split('\n').find((text) => text.includes('TRACE_SAMPLE_RATIO'));
    expect(JSON.parse(warning!)).toMatchObject({ level: 40, ignored: ['OTEL_TRACES_SAMPLER'], sampleRatio: 0 });
  }, 90_000);

  it('answers errors in the documented JSON shape with tracing on, traced or not (not Express’s default HTML 500)', async () => {
    const service = await startService({ ...envFor(database), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, TRACE_SAMPLE_RATIO: '0' });
    const base = `http://127.0.0.1:${service.port}`;
    for (const traceparent of [callerContext().traceparent, callerContext().traceparent.replace(/-01$/, '-00')]) {
      const missing = await fetch(`${base}/no/such/page`, { headers: { traceparent } });
      expect([missing.status, missing.headers.get('content-type')]).toEqual([404, 'application/json; charset=utf-8']);
      expect(await missing.json()).toMatchObject({ error: 'Not Found' });
      const unauthenticated = await fetch(`${base}/v1/calls/start`, { method: 'POST', headers: { 'Content-Type': 'application/json', traceparent }, body: '{}' });
      expect([unauthenticated.status, ((await unauthenticated.json()) as { error: string }).error]).toEqual([401, 'Unauthorized']);
      const invalid = await fetch(`${base}/v1/calls/start`, { method: 'POST', headers: { ...headers, traceparent }, body: JSON.stringify({ call_id: '' }) });
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toMatchObject({ error: expect.any(String) });
    }
    await stop(service);
  }, 90_000);

  it('exports nothing without OTEL_EXPORTER_OTLP_ENDPOINT, even with the SDK’s own endpoint variable set, and the access log names no trace', async () => {
    const caller = callerContext();
    // The variable an autoconfigured OpenTelemetry SDK would export to: ours is not started at all.
    const service = await startService({ ...envFor(database), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces` });
    await sendRequests(service, caller.traceparent);
    await stop(service);

    expect(receiver.requests).toEqual([]);
    const line = service.output().split('\n').find((text) => text.includes(`"requestId":"${REQUEST_ID}"`));
    expect(JSON.parse(line!)).not.toHaveProperty('traceId');
  }, 90_000);
});
