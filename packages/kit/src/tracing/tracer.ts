import { type Attributes, context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * The platform's tracer. Until `startTracing` installs an SDK this is OpenTelemetry's no-op
 * tracer, so every span below costs a function call and nothing else.
 */
export function tracer() {
  return trace.getTracer('storefront');
}

let enabled = false;
/** True once an SDK is installed; lets hot paths skip building attributes nobody will export. */
export function tracingEnabled(): boolean {
  return enabled;
}
export function markTracingEnabled(on: boolean): void {
  enabled = on;
}

/** Runs fn inside a child span of the active one; records the error and rethrows. */
export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  if (!enabled) return fn(trace.wrapSpanContext(trace.getActiveSpan()?.spanContext() ?? INVALID));
  return tracer().startActiveSpan(name, { kind, attributes }, context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

const INVALID = { traceId: '00000000000000000000000000000000', spanId: '0000000000000000', traceFlags: 0 };

export { SpanKind };
