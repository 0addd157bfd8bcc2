/**
 * Spans leave from a worker thread (telemetry/worker-span-exporter.ts): the event loop never makes an HTTP
 * client request, whose objects would make Node's HTTP and stream code serving every request polymorphic.
 * Node publishes each HTTP client request it starts on the `http.client.request.start` channel of the
 * thread making it; the test listens on its own thread's.
 */
import diagnosticsChannel from 'node:diagnostics_channel';

import { trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';

import { WorkerSpanExporter } from '../../src/telemetry/worker-span-exporter';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver';

/** Spans made by a real tracer, kept to be exported by hand. */
function finishedSpans(...names: string[]): ReadableSpan[] {
  const kept: ReadableSpan[] = [];
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: { export: (spans, done) => (kept.push(...spans), done({ code: ExportResultCode.SUCCESS })), shutdown: () => Promise.resolve() } })],
  });
  const tracer = provider.getTracer('test');
  for (const name of names) tracer.startSpan(name, { attributes: { 'http.route': `/${name}` } }).end();
  return kept;
}

const exported = (exporter: WorkerSpanExporter, spans: ReadableSpan[]) => new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));

describe('WorkerSpanExporter', () => {
  let receiver: OtlpReceiver;
  let exporter: WorkerSpanExporter | undefined;
  const clientRequests: unknown[] = [];
  const onClientRequest = (message: unknown) => clientRequests.push(message);

  beforeAll(() => diagnosticsChannel.subscribe('http.client.request.start', onClientRequest));
  afterAll(() => diagnosticsChannel.unsubscribe('http.client.request.start', onClientRequest));
  afterEach(async () => {
    await exporter?.shutdown();
    exporter = undefined;
    await receiver.close();
  });

  it('sends the spans as OTLP/HTTP JSON from a worker thread, making no HTTP client request on the event loop', async () => {
    receiver = await startOtlpReceiver();
    exporter = new WorkerSpanExporter(`${receiver.endpoint}/v1/traces`);
    const result = await exported(exporter, finishedSpans('first', 'second'));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(receiver.requests).toEqual(['POST /v1/traces application/json']);
    expect(receiver.spans().map((span) => [span.name, span.attributes['http.route'], span.scope])).toEqual([
      ['first', '/first', 'test'],
      ['second', '/second', 'test'],
    ]);
    expect(clientRequests).toEqual([]);
  });

  it('reports a batch the collector refused as failed', async () => {
    receiver = await startOtlpReceiver({ status: 400 });
    exporter = new WorkerSpanExporter(`${receiver.endpoint}/v1/traces`);
    const result = await exported(exporter, finishedSpans('refused'));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.name).toBe('SpanExportError');
    expect(receiver.requests).toHaveLength(1);
  });

  it('reports a batch the serializer cannot encode as failed, sending nothing', async () => {
    receiver = await startOtlpReceiver();
    exporter = new WorkerSpanExporter(`${receiver.endpoint}/v1/traces`);
    const [span] = finishedSpans('broken');
    const broken: ReadableSpan = { ...span, resource: span.resource, spanContext: () => { throw new Error('no context'); } };
    const result = await exported(exporter, [broken]);
    expect(result).toMatchObject({ code: ExportResultCode.FAILED, error: { name: 'SpanExportError', reason: 'not encoded' } });
    expect(receiver.requests).toEqual([]);
  });

  it('flushes every batch handed over before it shuts down, and ends its worker', async () => {
    receiver = await startOtlpReceiver();
    const closing = new WorkerSpanExporter(`${receiver.endpoint}/v1/traces`);
    const results = [exported(closing, finishedSpans('a')), exported(closing, finishedSpans('b'))];
    await closing.shutdown();
    expect(await Promise.all(results)).toEqual([{ code: ExportResultCode.SUCCESS }, { code: ExportResultCode.SUCCESS }]);
    expect(receiver.spans().map((span) => span.name).sort()).toEqual(['a', 'b']);
    // A batch after shutdown starts a worker again rather than being lost silently.
    const after = await exported(closing, finishedSpans('c'));
    expect(after.code).toBe(ExportResultCode.SUCCESS);
    exporter = closing;
  });
});

afterAll(() => trace.disable());
