import { createFaults, createRoute, createRouter, serve, z } from '@storefront/kit';

/**
 * The bare-hono answer served the way a service serves it: `serve()` with every kit middleware
 * (request id, access log with the defaults a pod gets — a 1% sample of ordinary answers at info —,
 * metrics, tracing off, body limit, faults) and a route declared with zod. Logs go to stdout, which
 * the harness points at /dev/null, so pino formats and writes the sampled lines as it would in a pod.
 */
const port = Number(process.env.PORT ?? 0);

const router = createRouter();
router.openapi(
  createRoute({
    method: 'get',
    path: '/json',
    responses: {
      200: {
        description: 'A small fixed object',
        content: {
          'application/json': {
            schema: z.object({ ok: z.boolean(), service: z.string(), items: z.array(z.number()) }),
          },
        },
      },
    },
  }),
  (c) => c.json({ ok: true, service: 'bench', items: [1, 2, 3] }, 200),
);

await serve(router, {
  service: 'bench-kit',
  port,
  host: '127.0.0.1',
  // As a service builds them from env: inactive unless FAULTS or FAULTS_FILE is set.
  faults: createFaults({ json: process.env.FAULTS, file: process.env.FAULTS_FILE }),
  shutdownGraceMs: 1_000,
});
