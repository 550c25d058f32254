import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * The physical baseline: the same JSON answer with nothing but Hono and its Node adapter, so every
 * other figure can be read as a ratio to what this machine can do at all.
 */
const port = Number(process.env.PORT ?? 0);
const app = new Hono();
app.get('/json', (c) => c.json({ ok: true, service: 'bench', items: [1, 2, 3] }));

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
// The harness stops us with SIGTERM; exit at once, there is nothing to drain.
process.once('SIGTERM', () => server.close(() => process.exit(0)));
