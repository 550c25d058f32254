import { afterAll, describe, expect, it } from 'vitest';
import { Conflict } from './errors.ts';
import { createFaults } from './faults.ts';
import { createRouter } from './http/router.ts';
import { createRoute, z } from './index.ts';
import { buildApp, serve } from './serve.ts';
import { jsonOf, silentLog } from './testing/index.ts';

function sampleService() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/items/{id}',
      request: {
        params: z.object({ id: z.string().regex(/^\d+$/) }),
        body: { content: { 'application/json': { schema: z.object({ qty: z.number().int().min(1).max(99) }) } } },
      },
      responses: {
        200: {
          description: 'ok',
          content: { 'application/json': { schema: z.object({ id: z.string(), qty: z.number() }) } },
        },
      },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const { qty } = c.req.valid('json');
      if (id === '409') throw new Conflict('item is locked');
      return c.json({ id, qty }, 200);
    },
  );
  app.get('/boom', () => {
    throw new Error('secret internals');
  });
  return app;
}

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('buildApp', () => {
  const kit = buildApp(sampleService(), { service: 'sample', log: silentLog(), bodyLimit: 1024 });
  const app = kit.app;

  it('serves a valid request and echoes a request id', async () => {
    const res = await app.request('/items/7', {
      ...json({ qty: 2 }),
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc-123' },
    });
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ id: '7', qty: 2 });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });

  it('replaces a malformed request id', async () => {
    const res = await app.request('/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('maps validation failures to 422 problem+json with field paths', async () => {
    const res = await app.request('/items/x', json({ qty: 0 }));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await jsonOf(res);
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e: { path: string }) => e.path)).toContain('path.id');
  });

  it('reports body field paths', async () => {
    const res = await app.request('/items/1', json({ qty: 1000 }));
    const body = await jsonOf(res);
    expect(res.status).toBe(422);
    expect(body.errors[0].path).toBe('body.qty');
    expect(body.requestId).toBeTruthy();
  });

  it('maps malformed JSON to 400', async () => {
    const res = await app.request('/items/1', json('{"qty":'));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).detail).toMatch(/not valid JSON/);
  });

  it('maps an oversized body to 413', async () => {
    const res = await app.request('/items/1', json({ qty: 1, pad: 'x'.repeat(5000) }));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('maps unknown routes to 404 problem+json', async () => {
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect((await jsonOf(res)).title).toBe('Not found');
  });

  it('maps DomainErrors to their status and hides unexpected errors', async () => {
    const conflict = await app.request('/items/409', json({ qty: 1 }));
    expect(conflict.status).toBe(409);
    expect((await jsonOf(conflict)).detail).toBe('item is locked');
    const boom = await app.request('/boom');
    expect(boom.status).toBe(500);
    expect(JSON.stringify(await jsonOf(boom))).not.toContain('secret internals');
  });

  it('exposes RED metrics by route template', async () => {
    await app.request('/items/5', json({ qty: 3 }));
    await app.request('/nope/123');
    const text = await (await app.request('/metrics')).text();
    expect(text).toMatch(
      /http_server_request_duration_seconds_count\{service="sample",method="POST",route="\/items\/:id",status="200"\} \d+/,
    );
    expect(text).toMatch(/route="unmatched",status="404"/);
    expect(text).toContain('http_server_requests_in_flight');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('generates an OpenAPI 3.1 document from the route schemas', async () => {
    const doc = await jsonOf(await app.request('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/items/{id}'].post.requestBody).toBeTruthy();
  });
});

describe('readiness', () => {
  it('is ready when every check passes and names the failing dependency otherwise', async () => {
    let dbUp = true;
    const kit = buildApp(createRouter(), {
      service: 'r',
      log: silentLog(),
      readiness: {
        postgres: async () => {
          if (!dbUp) throw new Error('connection refused');
        },
      },
    });
    expect((await kit.app.request('/readyz')).status).toBe(200);
    dbUp = false;
    const res = await kit.app.request('/readyz');
    expect(res.status).toBe(503);
    const body = await jsonOf(res);
    expect(body.detail).toContain('postgres');
    expect(body.checks.postgres).toBe('connection refused');
    expect((await kit.app.request('/healthz')).status).toBe(200);
    dbUp = true;
    kit.setShuttingDown();
    expect((await kit.app.request('/readyz')).status).toBe(503);
  });

  it('reports a failing non-critical check as degraded and stays ready', async () => {
    let redisUp = false;
    let dbUp = true;
    const kit = buildApp(createRouter(), {
      service: 'r',
      log: silentLog(),
      readiness: {
        postgres: async () => {
          if (!dbUp) throw new Error('connection refused');
        },
        redis: {
          critical: false,
          check: async () => {
            if (!redisUp) throw new Error('ECONNREFUSED');
          },
        },
      },
    });
    const res = await kit.app.request('/readyz');
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({
      status: 'degraded',
      checks: { postgres: 'ok', redis: 'degraded: ECONNREFUSED' },
    });
    redisUp = true;
    expect(await jsonOf(await kit.app.request('/readyz'))).toEqual({
      status: 'ok',
      checks: { postgres: 'ok', redis: 'ok' },
    });
    // A critical failure still fails readiness, and names only the critical dependency.
    redisUp = false;
    dbUp = false;
    const down = await kit.app.request('/readyz');
    expect(down.status).toBe(503);
    const body = await jsonOf(down);
    expect(body.detail).toBe('not ready: postgres unreachable');
    expect(body.checks).toEqual({ postgres: 'connection refused', redis: 'degraded: ECONNREFUSED' });
  });

  it('gives a non-critical check half the time, so a hung cache cannot time out the probe', async () => {
    const kit = buildApp(createRouter(), {
      service: 'r',
      log: silentLog(),
      readiness: { nats: { critical: false, check: () => new Promise<void>(() => {}) } },
    });
    const res = await kit.app.request('/readyz');
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).checks.nats).toBe('degraded: nats did not answer within 1000 ms');
  });
});

describe('route faults', () => {
  it('fails the named route at the configured rate and never the others', async () => {
    const faults = createFaults({
      json: JSON.stringify([{ route: 'POST /items/:id', fail: 1, status: 503, times: 2 }]),
    });
    const kit = buildApp(sampleService(), { service: 'f', log: silentLog(), faults });
    expect((await kit.app.request('/items/1', json({ qty: 1 }))).status).toBe(503);
    expect((await kit.app.request('/healthz')).status).toBe(200);
    expect((await kit.app.request('/items/1', json({ qty: 1 }))).status).toBe(503);
    expect((await kit.app.request('/items/1', json({ qty: 1 }))).status).toBe(200);
  });
});

// The kit takes shortcuts when @hono/node-server hands it the Node request and response (reading
// headers off the IncomingMessage, setting the request id on the ServerResponse); app.request()
// never does, so these go through a real socket.
describe('served over a socket', async () => {
  const running = await serve(sampleService(), {
    service: 'socket',
    port: 0,
    host: '127.0.0.1',
    log: silentLog(),
    bodyLimit: 1024,
    handleSignals: false,
    shutdownGraceMs: 100,
  });
  afterAll(() => running.close());

  it('echoes a well-formed request id on success and on every kind of error', async () => {
    const ok = await fetch(`${running.url}/items/7`, {
      ...json({ qty: 2 }),
      headers: { 'content-type': 'application/json', 'x-request-id': 'sock-1' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toBe('sock-1');
    expect(ok.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await jsonOf(ok)).toEqual({ id: '7', qty: 2 });

    for (const [path, init, status] of [
      ['/nope', {}, 404],
      ['/boom', {}, 500],
      ['/items/409', json({ qty: 1 }), 409],
      ['/items/x', json({ qty: 1 }), 422],
    ] as const) {
      const res = await fetch(`${running.url}${path}`, {
        ...init,
        headers: { ...('headers' in init ? init.headers : {}), 'x-request-id': `sock-${status}` },
      });
      expect(res.status).toBe(status);
      expect(res.headers.get('x-request-id')).toBe(`sock-${status}`);
      expect((await jsonOf(res)).requestId).toBe(`sock-${status}`);
    }
  });

  it('makes an id when the caller sent none or a malformed one, the same in the header and the problem', async () => {
    for (const headers of [{}, { 'x-request-id': 'bad id with spaces' }] as Record<string, string>[]) {
      const res = await fetch(`${running.url}/nope`, { headers });
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await jsonOf(res)).requestId).toBe(id);
    }
  });

  it('refuses an oversized body with 413 and lets a GET without one through', async () => {
    const big = await fetch(`${running.url}/items/1`, json({ qty: 1, pad: 'x'.repeat(5000) }));
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toBe('application/problem+json');
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  });

  it('counts requests in the RED histogram by route template', async () => {
    await fetch(`${running.url}/items/5`, json({ qty: 3 }));
    const text = await (await fetch(`${running.url}/metrics`)).text();
    expect(text).toMatch(
      /http_server_request_duration_seconds_count\{service="socket",method="POST",route="\/items\/:id",status="200"\} \d+/,
    );
  });
});
