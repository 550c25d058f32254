import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * Stand-ins for the catalog's `GET /skus` and inventory's `GET /availability`, the two calls the
 * cart makes, in their own process (so the harness's CPU and memory figures are the cart's alone).
 * Every `BENCH-<n>` SKU exists, costs 1000 + n minor units and has plenty of stock. Prints its
 * port on stdout for the parent.
 */
const app = new Hono();
const productId = (n: number) => `0199a83f-8840-7236-b5b8-${String(n).padStart(12, '0')}`;
app.get('/skus', (c) => {
  const currency = c.req.query('currency') ?? 'USD';
  const items = c.req.queries('sku')?.flatMap((sku) => {
    const n = Number(/^BENCH-(\d+)$/.exec(sku)?.[1] ?? Number.NaN);
    if (!Number.isInteger(n)) return [];
    return [
      {
        sku,
        productId: productId(n),
        slug: `bench-${n}`,
        name: `Bench product ${n}`,
        image: `https://img.example/${n}.jpg`,
        categoryIds: [],
        price: currency === 'USD' ? { amount: 1000 + n, compareAt: null } : null,
      },
    ];
  });
  return c.json({ items: items ?? [] });
});
app.get('/availability', (c) =>
  c.json({ items: (c.req.queries('sku') ?? []).map((sku) => ({ sku, available: 1_000_000, locations: [] })) }),
);

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${info.port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
process.once('disconnect', () => process.exit(0));
