import { Writable } from 'node:stream';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { createRouter } from '../http/router.ts';
import { createLogger } from '../log.ts';
import { buildApp } from '../serve.ts';
import { startTracing } from './setup.ts';
import { withSpan } from './tracer.ts';

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  const handle = startTracing({ service: 'traced', exporter });
  afterAll(() => handle.shutdown());

  it('continues the caller trace, names spans by route, nests child spans and stamps trace ids on logs', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _e, cb) {
        lines.push(JSON.parse(String(chunk)));
        cb();
      },
    });
    const log = createLogger({ service: 'traced', destination });
    const service = createRouter();
    service.get('/orders/:id', async (c) => {
      await withSpan('db.query', { 'db.system': 'postgresql' }, async () => {
        c.get('log').info('inside handler');
      });
      return c.json({ id: c.req.param('id') });
    });
    const { app } = buildApp(service, { service: 'traced', log, accessLog: { sampleRate: 1 } });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await app.request('/orders/42', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(res.status).toBe(200);

    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.name === 'GET /orders/:id');
    const child = spans.find((s) => s.name === 'db.query');
    expect(server?.spanContext().traceId).toBe(traceId);
    expect(server?.attributes['http.route']).toBe('/orders/:id');
    expect(child?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    await new Promise((r) => setImmediate(r));
    const line = lines.find((l) => l.msg === 'inside handler');
    expect(line?.trace_id).toBe(traceId);
    expect(line?.requestId).toBeTruthy();
    const access = lines.find((l) => l.msg === 'request');
    expect(access).toMatchObject({ path: '/orders/42', status: 200, trace_id: traceId, requestId: line?.requestId });
  });
});
