import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { tracer, tracingEnabled } from '../tracing/tracer.ts';
import { routeLabel } from './route-label.ts';
import type { KitEnv } from './router.ts';

const headerGetter = {
  keys: (h: Headers) => [...h.keys()],
  get: (h: Headers, key: string) => h.get(key) ?? undefined,
};

/** A server span per request, continuing the caller's W3C trace context. */
export function httpTracing(): MiddlewareHandler<KitEnv> {
  // Not async itself: with tracing off (the default) a request pays for no extra promise.
  return function httpTracingMiddleware(c, next) {
    return tracingEnabled() ? traced(c, next) : next();
  };
}

async function traced(c: Context<KitEnv>, next: Next): Promise<void> {
  const parent = propagation.extract(context.active(), c.req.raw.headers, headerGetter);
  const span = tracer().startSpan(
    c.req.method,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method, 'url.path': c.req.path } },
    parent,
  );
  try {
    await context.with(trace.setSpan(parent, span), next);
  } finally {
    const route = routeLabel(c);
    span.updateName(`${c.req.method} ${route}`);
    span.setAttribute('http.route', route);
    span.setAttribute('http.response.status_code', c.res.status);
    if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }
}
