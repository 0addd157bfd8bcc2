/**
 * Which requests are traced, decided when a request arrives, before any instrumentation does work for it
 * (tracing.ts passes `tracedAtTheDoor` to the HTTP instrumentation's ignore hook). The caller decides
 * first: a valid W3C `traceparent` whose sampled flag is set is always traced (an integrator following one
 * call through their IVR and us gets our spans), one whose flag is clear never is. Of the requests without
 * a caller's decision, the first of each second is traced, then a share `ratio` (TRACE_SAMPLE_RATIO,
 * default 5%) of the rest: AWS X-Ray's default rule, so a quiet deployment still sees a trace a second
 * and a busy one pays for one request in twenty.
 *
 * Deciding at the door rather than in the SDK's sampler is what makes an untraced request cheap: the HTTP
 * instrumentation then computes no attributes and starts no span, and the Express, GraphQL and pg
 * instrumentations see tracing suppressed. The SDK's sampler, behind this, keeps every span of a traced
 * request (parent-based) and, of the spans that start a trace, only server spans: the requests let in at
 * the door. Work outside any request (the GraphQL schema checked at start-up) starts no trace.
 */
import type { IncomingMessage } from 'node:http';

import { SpanKind, type Context, type Attributes } from '@opentelemetry/api';
import { ParentBasedSampler, SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';

/** version-traceid-parentid-flags, lower-case hex (W3C Trace Context §3.2). */
const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(?:-|$)/;
const ZERO_TRACE_ID = /^0+$/;

/** A caller's trace context as far as sampling and the access log need it. */
export interface CallerTrace {
  traceId: string;
  sampled: boolean;
}

/** The caller's trace from a `traceparent` header, or undefined when absent or invalid (a new trace starts). */
export function callerTraceOf(header: string | string[] | undefined): CallerTrace | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags] = match;
  // Version ff is forbidden; a zero trace or parent id is invalid. Later versions may append fields (hence `-`).
  if (version === 'ff' || ZERO_TRACE_ID.test(traceId) || ZERO_TRACE_ID.test(parentId)) return undefined;
  if (version === '00' && header.trim().length !== 55) return undefined;
  return { traceId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** Decides at the door which requests are traced. */
export class DoorSampler {
  /** The second (since the epoch) whose first undecided request was traced. */
  private reservoirSecond = -1;

  constructor(
    private readonly ratio: number,
    private readonly now: () => number = Date.now,
    private readonly draw: () => number = Math.random,
  ) {}

  /** Whether to trace a request: its caller's decision, else the second's first, else a draw at the ratio (0: none). */
  traced(request: Pick<IncomingMessage, 'headers'>): boolean {
    const caller = callerTraceOf(request.headers.traceparent);
    if (caller) return caller.sampled;
    if (this.ratio <= 0) return false;
    const second = Math.floor(this.now() / 1000);
    if (second !== this.reservoirSecond) {
      this.reservoirSecond = second;
      return true;
    }
    return this.ratio >= 1 || this.draw() < this.ratio;
  }
}

/** Of the spans without a parent, keeps only a request's server span (the request was let in at the door). */
class ServerSpansOnly implements Sampler {
  shouldSample(_context: Context, _traceId: string, _name: string, kind: SpanKind, _attributes: Attributes): SamplingResult {
    return { decision: kind === SpanKind.SERVER ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
  }

  toString(): string {
    return 'ServerSpansOnly';
  }
}

/** The SDK's sampler behind the door: a traced request's spans, and no trace started outside a request. */
export function requestSpansSampler(): Sampler {
  return new ParentBasedSampler({ root: new ServerSpansOnly() });
}
