/**
 * Which requests are traced, decided when a request arrives, before any instrumentation does work for it
 * (the service's server asks as it emits the request: untraced-bypass.ts; any other server, through the
 * HTTP instrumentation's ignore hook: tracing.ts). The caller decides
 * first: a valid W3C `traceparent` whose sampled flag is set is always traced (an integrator following one
 * call through their IVR and us gets our spans), one whose flag is clear never is. Of the requests without
 * a caller's decision, the first of each second is traced, then a share `ratio` (TRACE_SAMPLE_RATIO,
 * default 5%) of the rest: AWS X-Ray's default rule, so a quiet deployment still sees a trace a second.
 * At most `maxPerSecond` (TRACE_MAX_PER_SECOND, default 1: the second's first alone; 0: no cap) of those are
 * traced in a second, as Datadog's tracer caps the traces it starts: what tracing costs stays bounded as the
 * load grows (a traced request costs a few hundred µs more, and seems to leave every other request a little
 * slower), while the Prometheus histograms still see every request.
 * A caller's decision is not capped: its trace would lose our spans.
 *
 * Deciding at the door rather than in the SDK's sampler is what makes an untraced request cheap: it skips
 * the HTTP and Express instrumentations altogether (untraced-bypass.ts), and runs where the GraphQL and pg
 * instrumentations record nothing. The SDK's sampler, behind this, keeps every span of a traced
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

/** How many requests the door traces when their caller did not decide. */
export interface DoorSampling {
  /** Share traced beyond the first of each second (0: none at all). */
  ratio: number;
  /** Most traced in one second (0: no cap). */
  maxPerSecond: number;
}

/** Decides at the door which requests are traced. */
export class DoorSampler {
  /** The second (since the epoch) being counted, and how many undecided requests were traced in it. */
  private second = -1;
  private tracedInSecond = 0;

  constructor(
    private readonly sampling: DoorSampling,
    private readonly now: () => number = Date.now,
    private readonly draw: () => number = Math.random,
  ) {}

  /**
   * Whether to trace a request: its caller's decision; else the second's first; else, below the second's
   * cap, a draw at the ratio (ratio 0: none).
   */
  traced(request: Pick<IncomingMessage, 'headers'>): boolean {
    const caller = callerTraceOf(request.headers.traceparent);
    if (caller) return caller.sampled;
    const { ratio, maxPerSecond } = this.sampling;
    if (ratio <= 0) return false;
    const second = Math.floor(this.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.tracedInSecond = 1;
      return true;
    }
    if (maxPerSecond > 0 && this.tracedInSecond >= maxPerSecond) return false;
    const traced = ratio >= 1 || this.draw() < ratio;
    if (traced) this.tracedInSecond += 1;
    return traced;
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
