import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Small real HTTP servers that speak the catalog's `GET /skus` and inventory's
 * `GET /availability` JSON, with switches for the failures a network gives (5xx, garbage, hang).
 */
export type Mode = 'ok' | 'error' | 'garbage' | 'hang';

export interface FakeSku {
  productId: string;
  categoryIds: string[];
  prices: Record<string, number>;
}

export async function listen(handler: (url: URL) => { status: number; body: string } | null) {
  const server: Server = createServer((req, res) => {
    const answer = handler(new URL(req.url ?? '/', 'http://x'));
    if (answer === null) return; // hang: never answer
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function respond(mode: Mode, ok: () => unknown) {
  if (mode === 'hang') return null;
  if (mode === 'error') return { status: 503, body: '{"title":"down"}' };
  if (mode === 'garbage') return { status: 200, body: '<html>not json' };
  return { status: 200, body: JSON.stringify(ok()) };
}

export async function catalogServer(skus: Map<string, FakeSku>) {
  const state = { mode: 'ok' as Mode, hits: 0 };
  const s = await listen((url) => {
    if (url.pathname !== '/skus') return { status: 404, body: '{}' };
    state.hits++;
    const currency = url.searchParams.get('currency') ?? 'USD';
    return respond(state.mode, () => ({
      items: url.searchParams.getAll('sku').flatMap((sku) => {
        const p = skus.get(sku);
        if (!p) return [];
        const amount = p.prices[currency];
        return [
          {
            sku,
            productId: p.productId,
            slug: sku.toLowerCase(),
            name: `Product ${sku}`,
            image: null,
            categoryIds: p.categoryIds,
            price: amount === undefined ? null : { amount, compareAt: null },
          },
        ];
      }),
    }));
  });
  return Object.assign(s, { state });
}

/** The real inventory's answer shape: every asked SKU, with a per-location breakdown. */
export async function inventoryServer(stock: Map<string, number>) {
  const state = { mode: 'ok' as Mode, hits: 0 };
  const s = await listen((url) => {
    if (url.pathname !== '/availability') return { status: 404, body: '{}' };
    state.hits++;
    return respond(state.mode, () => ({
      items: url.searchParams.getAll('sku').map((sku) => {
        const available = stock.get(sku) ?? 0;
        return {
          sku,
          available,
          locations: available
            ? [{ code: 'wh-east', name: 'East', kind: 'warehouse', pickupEnabled: false, available }]
            : [],
        };
      }),
    }));
  });
  return Object.assign(s, { state });
}
