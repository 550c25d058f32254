import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotFound } from './errors.ts';
import { createRouter } from './http/router.ts';
import { createRoute, z } from './index.ts';
import { buildApp } from './serve.ts';
import { silentLog } from './testing/index.ts';

/** A service with the usual route shapes: path params, query, JSON body with nested arrays. */
function service() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/carts/{id}/lines',
      request: {
        params: z.object({ id: z.uuid() }),
        query: z.object({
          currency: z
            .string()
            .regex(/^[A-Z]{3}$/)
            .optional(),
        }),
        body: {
          content: {
            'application/json': {
              schema: z.object({
                sku: z.string().min(1).max(64),
                qty: z.number().int().min(1).max(999),
                options: z
                  .array(z.object({ name: z.string().max(32), value: z.string().max(64) }))
                  .max(10)
                  .optional(),
              }),
            },
          },
        },
      },
      responses: { 201: { description: 'added' } },
    }),
    (c) => {
      const body = c.req.valid('json');
      if (body.sku === 'missing') throw new NotFound('no such sku');
      return c.json({ ok: true }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/search',
      request: {
        query: z.object({
          q: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          cursor: z.string().max(500).optional(),
        }),
      },
      responses: { 200: { description: 'results' } },
    }),
    (c) => c.json({ q: c.req.valid('query').q ?? '' }, 200),
  );
  return app;
}

const { app } = buildApp(service(), { service: 'prop', log: silentLog(), bodyLimit: 4096 });

const pathArb = fc.oneof(
  fc.constant('/carts/0190a0b4-8f2e-7c3a-9d4e-123456789abc/lines'),
  fc.constant('/search'),
  fc.constant('/healthz'),
  fc.constant('/openapi.json'),
  fc.string({ maxLength: 40 }).map((s) => `/carts/${encodeURIComponent(s)}/lines`),
  fc.webPath(),
);
const queryArb = fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 }), { maxKeys: 4 });
const bodyArb = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 300 }),
  fc
    .record({ sku: fc.string(), qty: fc.oneof(fc.integer(), fc.double(), fc.string()), options: fc.anything() })
    .map((v) => JSON.stringify(v)),
  fc.constant('{"sku":'),
  fc.constant('x'.repeat(5000)),
);
const headerArb = fc.record({
  'content-type': fc.constantFrom(
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    '',
  ),
  'x-request-id': fc.string({ maxLength: 200 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
});

describe('a kit-served app under random input', () => {
  it('never answers 500, and every error is problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        pathArb,
        queryArb,
        bodyArb,
        headerArb,
        async (method, path, query, body, headers) => {
          const qs = new URLSearchParams(query).toString();
          const hasBody = method !== 'GET';
          const res = await app.request(`${path}${qs ? `?${qs}` : ''}`, {
            method,
            headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== '')),
            ...(hasBody ? { body } : {}),
          });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect(res.headers.get('content-type')).toBe('application/problem+json');
        },
      ),
      { numRuns: 400 },
    );
  });
});
