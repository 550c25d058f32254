import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { markTracingEnabled } from './tracer.ts';

export interface TracingOptions {
  readonly service: string;
  readonly version?: string;
  /** OTLP/HTTP endpoint, e.g. http://otel-collector:4318. Without it and an exporter, tracing stays off. */
  readonly endpoint?: string;
  /** For tests: spans go here, synchronously. */
  readonly exporter?: SpanExporter;
}

export interface TracingHandle {
  shutdown(): Promise<void>;
}

/**
 * Installs the OpenTelemetry SDK when there is somewhere to send spans: W3C trace context,
 * async-local context, batched OTLP export, and outbound fetch instrumentation. Inbound HTTP,
 * Postgres, Redis and JetStream spans are made by the kit's own wrappers, which need no
 * module patching and so work the same under ESM and tsx.
 */
export function startTracing(opts: TracingOptions): TracingHandle {
  if (!opts.endpoint && !opts.exporter) {
    markTracingEnabled(false);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    return { shutdown: async () => {} };
  }
  const exporter = opts.exporter ?? new OTLPTraceExporter({ url: `${opts.endpoint?.replace(/\/$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': opts.service,
      'service.namespace': 'storefront',
      ...(opts.version ? { 'service.version': opts.version } : {}),
    }),
    spanProcessors: [opts.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const undici = new UndiciInstrumentation();
  undici.setTracerProvider(provider);
  undici.enable();
  markTracingEnabled(true);
  return {
    async shutdown() {
      undici.disable();
      markTracingEnabled(false);
      await provider.shutdown();
    },
  };
}
