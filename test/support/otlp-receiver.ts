/**
 * An OTLP/HTTP trace receiver for tests: a real HTTP server on a free loopback port that answers every
 * POST /v1/traces with 200 (or the status it was started with) and keeps what it was sent. The service's
 * exporter (telemetry/worker-span-exporter.ts, the standard OTLP/HTTP transport) sends OTLP JSON: ids in hex,
 * attributes as key/typed-value pairs.
 */
import { createServer, type Server } from 'node:http';

/** An attribute's value as OTLP JSON writes it. */
interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
}

/** One exported span, as sent. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, unknown>;
  /** Its instrumentation scope, e.g. `@opentelemetry/instrumentation-pg`. */
  scope: string;
  /** Its resource's attributes (service.name, …). */
  resource: Record<string, unknown>;
}

/** The span kind of a server span in OTLP. */
export const SERVER_SPAN = 2;

interface KeyValue {
  key: string;
  value: AnyValue;
}

interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: { scope?: { name?: string }; spans?: (Omit<ReceivedSpan, 'attributes' | 'scope' | 'resource'> & { attributes?: KeyValue[] })[] }[];
  }[];
}

function valueOf(value: AnyValue): unknown {
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue;
}

const attributesOf = (pairs: KeyValue[] = []) => Object.fromEntries(pairs.map(({ key, value }) => [key, valueOf(value)]));

/** A listening receiver: its endpoint (what OTEL_EXPORTER_OTLP_ENDPOINT names), the raw bodies and the spans received. */
export interface OtlpReceiver {
  endpoint: string;
  /** Every request received: method, path and content type, e.g. `POST /v1/traces application/json`. */
  requests: string[];
  /** Every request body received, as sent. */
  bodies: string[];
  spans(): ReceivedSpan[];
  close(): Promise<void>;
}

/** Starts a receiver on a free port of 127.0.0.1, answering `status` (a collector refusing: 400). */
export async function startOtlpReceiver({ status = 200 }: { status?: number } = {}): Promise<OtlpReceiver> {
  const bodies: string[] = [];
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(status, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const spans = (): ReceivedSpan[] =>
    bodies.flatMap((body) =>
      ((JSON.parse(body) as ExportRequest).resourceSpans ?? []).flatMap((rs) =>
        (rs.scopeSpans ?? []).flatMap((ss) =>
          (ss.spans ?? []).map((span) => ({
            ...span,
            attributes: attributesOf(span.attributes),
            scope: ss.scope?.name ?? '',
            resource: attributesOf(rs.resource?.attributes),
          })),
        ),
      ),
    );
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    bodies,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
