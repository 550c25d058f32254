import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * A stand-in catalog for the gateway benchmarks (the real one has a database to seed): a product
 * of realistic size by id, and an OpenAPI document. Prints its port on stdout for the parent.
 */
const app = new Hono();
const description = 'A sturdy everyday product. '.repeat(20);
app.get('/products/:id', (c) =>
  c.json({
    id: c.req.param('id'),
    slug: `product-${c.req.param('id')}`,
    name: `Product ${c.req.param('id')}`,
    description,
    prices: [{ currency: 'EUR', amount: 1999 }],
    images: [{ url: 'https://img.example/p.jpg', alt: 'product' }],
    rating: { average: 4.4, count: 17 },
  }),
);
app.get('/openapi.json', (c) =>
  c.json({ openapi: '3.1.0', info: { title: 'bench catalog', version: '1' }, paths: {} }),
);

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${info.port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
process.once('disconnect', () => process.exit(0));
