/**
 * Which requests are traced (telemetry/trace-sampling.ts): the caller's W3C `traceparent` decides when it
 * is valid; otherwise the first request of each second, then a draw at the configured ratio.
 */
import { context, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';

import { loadConfig } from '../../src/config';
import { callerTraceOf, DoorSampler, requestSpansSampler } from '../../src/telemetry/trace-sampling';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const parent = (flags: string, version = '00') => `${version}-${TRACE_ID}-${PARENT_ID}-${flags}`;
const request = (traceparent?: string) => ({ headers: traceparent === undefined ? {} : { traceparent } });

describe('callerTraceOf', () => {
  it('reads the trace id and the sampled flag of a valid traceparent', () => {
    expect(callerTraceOf(parent('01'))).toEqual({ traceId: TRACE_ID, sampled: true });
    expect(callerTraceOf(parent('00'))).toEqual({ traceId: TRACE_ID, sampled: false });
    expect(callerTraceOf(parent('03'))).toEqual({ traceId: TRACE_ID, sampled: true });
  });

  it('accepts a later version with more fields, as the specification asks', () => {
    expect(callerTraceOf(`${parent('01', 'cc')}-what-comes-next`)).toEqual({ traceId: TRACE_ID, sampled: true });
  });

  it.each([
    ['absent', undefined],
    ['repeated', [parent('01'), parent('01')]],
    ['upper-case hex', parent('01').toUpperCase()],
    ['the forbidden version ff', parent('01', 'ff')],
    ['a zero trace id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['a zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version 00 with extra fields', `${parent('01')}-extra`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
    ['not one at all', 'hello'],
  ])('ignores a traceparent that is %s', (_name, header) => {
    expect(callerTraceOf(header as string | string[] | undefined)).toBeUndefined();
  });
});

describe('DoorSampler', () => {
  const never = () => {
    throw new Error('no draw expected');
  };
  /** A sampler at `ratio` (at most `maxPerSecond`) whose clock stands at `ms` (changeable) and whose draws come from `draws`. */
  function sampler(ratio: number, draws: number[] = [], maxPerSecond = 0) {
    const clock = { ms: 5_000 };
    const door = new DoorSampler(
      { ratio, maxPerSecond },
      () => clock.ms,
      () => draws.shift() ?? never(),
    );
    return { door, clock };
  }

  it('follows the caller’s decision whatever the ratio, without a draw', () => {
    const { door } = sampler(1);
    expect(door.traced(request(parent('00')))).toBe(false);
    expect(sampler(0).door.traced(request(parent('01')))).toBe(true);
  });

  it('traces the first undecided request of each second, then draws at the ratio', () => {
    const { door, clock } = sampler(0.05, [0.04, 0.05, 0.5]);
    expect(door.traced(request())).toBe(true);
    expect(door.traced(request())).toBe(true); // 0.04 < 0.05
    expect(door.traced(request('garbage'))).toBe(false); // 0.05
    expect(door.traced(request())).toBe(false); // 0.5
    clock.ms += 1000;
    expect(door.traced(request())).toBe(true);
  });

  it('traces every request at ratio 1 and none undecided at ratio 0', () => {
    const all = sampler(1).door;
    expect([1, 2, 3].map(() => all.traced(request()))).toEqual([true, true, true]);
    const none = sampler(0).door;
    expect([1, 2, 3].map(() => none.traced(request()))).toEqual([false, false, false]);
  });

  it('traces at most TRACE_MAX_PER_SECOND undecided requests a second, the first included, and never caps a caller’s decision', () => {
    const { door, clock } = sampler(1, [], 3);
    expect([1, 2, 3, 4, 5].map(() => door.traced(request()))).toEqual([true, true, true, false, false]);
    expect(door.traced(request(parent('01')))).toBe(true);
    clock.ms += 1000;
    expect([1, 2, 3, 4].map(() => door.traced(request()))).toEqual([true, true, true, false]);
    // Requests the draw refuses do not use the cap up.
    const drawn = sampler(0.5, [0.9, 0.9, 0.1, 0.1], 3);
    expect([1, 2, 3, 4, 5].map(() => drawn.door.traced(request()))).toEqual([true, false, false, true, true]);
    expect(drawn.door.traced(request())).toBe(false);
  });

  it('traces only the first undecided request of each second at the shipped settings, and every request a caller samples', () => {
    const { telemetry } = loadConfig({});
    const clock = { ms: 5_000 };
    const door = new DoorSampler({ ratio: telemetry.sampleRatio, maxPerSecond: telemetry.maxTracesPerSecond }, () => clock.ms, never);
    expect([1, 2, 3, 4].map(() => door.traced(request()))).toEqual([true, false, false, false]);
    expect([1, 2].map(() => door.traced(request(parent('01'))))).toEqual([true, true]);
    clock.ms += 1000;
    expect([1, 2].map(() => door.traced(request()))).toEqual([true, false]);
  });

  it('traces about the ratio’s share of a busy second’s undecided requests when there is no cap', () => {
    const door = new DoorSampler({ ratio: 0.1, maxPerSecond: 0 }, () => 0);
    let traced = 0;
    for (let i = 0; i < 20_000; i++) if (door.traced(request())) traced++;
    expect(traced / 20_000).toBeGreaterThan(0.08);
    expect(traced / 20_000).toBeLessThan(0.12);
  });
});

describe('requestSpansSampler', () => {
  const sampler = requestSpansSampler();
  const decide = (parentContext: typeof ROOT_CONTEXT, kind: SpanKind) => sampler.shouldSample(parentContext, TRACE_ID, 'span', kind, {}, []).decision;
  const under = (traceFlags: TraceFlags) => trace.setSpanContext(context.active(), { traceId: TRACE_ID, spanId: PARENT_ID, traceFlags });

  it('starts a trace only with a request’s server span', () => {
    expect(decide(ROOT_CONTEXT, SpanKind.SERVER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(ROOT_CONTEXT, SpanKind.INTERNAL)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(ROOT_CONTEXT, SpanKind.CLIENT)).toBe(SamplingDecision.NOT_RECORD);
  });

  it('keeps every span of a traced request and none of an untraced one', () => {
    expect(decide(under(TraceFlags.SAMPLED), SpanKind.INTERNAL)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(under(TraceFlags.SAMPLED), SpanKind.CLIENT)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(under(TraceFlags.NONE), SpanKind.INTERNAL)).toBe(SamplingDecision.NOT_RECORD);
  });
});
