/**
 * Spans leave the service from a worker thread (issue 13, eighth session). The event loop encodes each
 * batch as OTLP/HTTP JSON (the standard serializer) and hands the bytes over; the worker sends them with the
 * standard OTLP/HTTP transport (@opentelemetry/otlp-exporter-base: its retries, timeout, concurrency limit,
 * and the OTEL_EXPORTER_OTLP_* headers and compression settings), and answers with the export's result.
 *
 * Why not the OTLP exporter on the event loop, as before: its first export was the service's first HTTP
 * *client* request. Node's HTTP and stream code that serves every request (OutgoingMessage, Readable, the
 * socket's read and write paths) then saw client objects too, and V8's inline caches there turned from
 * monomorphic to polymorphic or megamorphic for good (V8's inline-cache log). Counted under callgrind,
 * every later request ran about 5% more instructions than in an identical service that never exported, traced
 * or not. A worker thread has a V8 isolate of its own: its HTTP client leaves the event loop's code alone.
 */
import { Worker } from 'node:worker_threads';

import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

import { closeWorker } from '../shared/close-worker';

/** The worker: the standard OTLP/HTTP transport, fed the bytes the event loop encoded. */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { OTLPExporterBase } = require(workerData.exporterBase);
const { convertLegacyHttpOptions, createOtlpHttpExportDelegate } = require(workerData.nodeHttp);
const { JsonTraceSerializer } = require(workerData.transformer);
// A batch is handed over as { bytes, spans }: sent as it is; the spans counted for the exporter's own metrics.
const serializer = { serializeRequest: ([batch]) => batch.bytes, deserializeResponse: (data) => JsonTraceSerializer.deserializeResponse(data) };
const counting = { name: 'span', countItems: ([batch]) => batch.spans };
const options = convertLegacyHttpOptions({ url: workerData.url }, 'TRACES', 'v1/traces', { 'Content-Type': 'application/json' });
const exporter = new OTLPExporterBase(createOtlpHttpExportDelegate(options, serializer, 'otlp_http_span_exporter', counting));
parentPort.on('message', (message) => {
  if (message === 'close') {
    exporter.shutdown().finally(() => process.exit(0));
    return;
  }
  exporter.export([message.batch], (result) => parentPort.postMessage({ id: message.id, code: result.code, error: result.error && result.error.name }));
});
`;

/** Why the worker could not export a batch: the error's name, never its message (it may quote the collector). */
export class SpanExportError extends Error {
  constructor(readonly reason: string) {
    super(`the span export worker could not send a batch (${reason})`);
    this.name = 'SpanExportError';
  }
}

/** The batch as OTLP JSON, or undefined when the serializer fails on it (the batch is then reported failed). */
function encoded(spans: ReadableSpan[]): Uint8Array | undefined {
  try {
    return JsonTraceSerializer.serializeRequest(spans);
  } catch {
    return undefined;
  }
}

/** The OTLP/HTTP JSON span exporter whose requests leave from a worker thread (started with the first batch). */
export class WorkerSpanExporter implements SpanExporter {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, (result: ExportResult) => void>();
  private idle: (() => void)[] = [];

  /** `url`: the collector's traces endpoint (`<endpoint>/v1/traces`). */
  constructor(private readonly url: string) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const bytes = encoded(spans);
    if (!bytes) {
      resultCallback({ code: ExportResultCode.FAILED, error: new SpanExportError('not encoded') });
      return;
    }
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    this.pending.set(id, resultCallback);
    // The bytes' buffer moves to the worker rather than being copied, when it holds nothing else.
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    worker.postMessage({ id, batch: { bytes, spans: spans.length } }, whole ? [bytes.buffer as ArrayBuffer] : []);
  }

  /** Resolves once every batch handed over has its result. */
  forceFlush(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Waits for the batches handed over, then lets the worker finish its requests and end. */
  async shutdown(): Promise<void> {
    await this.forceFlush();
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    await closeWorker(worker);
  }

  private start(): Worker {
    const worker = new Worker(SOURCE, {
      eval: true,
      workerData: {
        url: this.url,
        exporterBase: require.resolve('@opentelemetry/otlp-exporter-base'),
        nodeHttp: require.resolve('@opentelemetry/otlp-exporter-base/node-http'),
        transformer: require.resolve('@opentelemetry/otlp-transformer'),
      },
    });
    // Never keeps the process alive on its own (shutdown() waits for it).
    worker.unref();
    worker.on('message', ({ id, code, error }: { id: number; code: ExportResultCode; error?: string }) => {
      this.settle(id, code === ExportResultCode.SUCCESS ? { code } : { code, error: new SpanExportError(error ?? 'failed') });
    });
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      for (const id of [...this.pending.keys()]) this.settle(id, { code: ExportResultCode.FAILED, error: new SpanExportError('worker exited') });
    });
    return worker;
  }

  private settle(id: number, result: ExportResult): void {
    const callback = this.pending.get(id);
    this.pending.delete(id);
    callback?.(result);
    if (this.pending.size > 0) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
