/**
 * Error text never leaves in a span. An instrumentation records a failed operation's error on its span: the
 * status message and an `exception` event with the error's message and stack. A database error's message
 * may quote the values of the row it was about (a caller's number, a variable's value), so before spans are
 * exported each is copied without them: the status keeps its code, the event its `exception.type` and the
 * stack's frames (`at …` lines), never the message. The error itself is in the service's log, masked there
 * (logging/logger.ts), under the request id the span carries.
 */
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace';

const MESSAGE = 'exception.message';
const STACK = 'exception.stacktrace';

/** The stack's frames only: the first lines of a stack are the error's message. */
function framesOf(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? frames.join('\n') : undefined;
}

function withoutMessage(event: TimedEvent): TimedEvent {
  if (!event.attributes || !(MESSAGE in event.attributes || STACK in event.attributes)) return event;
  const { [MESSAGE]: _message, [STACK]: stack, ...rest } = event.attributes;
  const frames = framesOf(stack);
  const attributes: Attributes = frames === undefined ? rest : { ...rest, [STACK]: frames };
  return { ...event, attributes };
}

/** Whether a span has anything to redact (most have not and are passed on as they are). */
function carriesErrorText(span: ReadableSpan): boolean {
  return span.status.message !== undefined || span.events.some((event) => event.attributes !== undefined && (MESSAGE in event.attributes || STACK in event.attributes));
}

/** The span without error messages (itself when it has none). */
export function redacted(span: ReadableSpan): ReadableSpan {
  if (!carriesErrorText(span)) return span;
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: { code: span.status.code },
    attributes: span.attributes,
    links: span.links,
    events: span.events.map(withoutMessage),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** Exports through `inner` the spans without their error text. */
export class RedactingExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: Parameters<SpanExporter['export']>[1]): void {
    this.inner.export(spans.map(redacted), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
