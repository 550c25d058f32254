import { type AuthEnv, createRoute, createRouter, NotFound, z } from '@storefront/kit';
import type { InventoryDeps } from './app.ts';
import { type Adjustment, availableOf } from './domain.ts';
import { audited } from './events.ts';
import { actorOf, type Guards } from './guards.ts';
import {
  AdjustIn,
  AdjustOut,
  body,
  json,
  LocationCode,
  Sku,
  StockQuery,
  StockRowOut,
  ThresholdIn,
  TransferIn,
  TransferOut,
} from './schemas.ts';
import { adjust, transfer } from './stock-ops.ts';
import * as store from './store.ts';
import type { StockRow } from './store-stock.ts';

const tags = ['stock'];

const rowOut = (r: StockRow) => ({
  ...r,
  available: availableOf(r),
  lastCountedAt: r.lastCountedAt ? new Date(r.lastCountedAt).toISOString() : null,
});

/** Fulfillment staff: stock rows, adjustments with a reason, transfers, thresholds, the ledger. */
export function stockRoutes(deps: InventoryDeps, guards: Guards) {
  const app = createRouter<AuthEnv>();
  const middleware = guards.staff('fulfillment', 'admin');
  const ctx = (c: Parameters<typeof actorOf>[0]) => ({ actor: actorOf(c), requestId: c.get('requestId') });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stock',
      tags,
      middleware,
      summary: 'Stock rows by SKU and location, with thresholds; search by SKU prefix, low stock only',
      description:
        'Filters combine: `sku` (exact), `q` (SKU prefix, case-insensitive), `location`, `low=true` (rows whose ' +
        'available is at or below their low-stock threshold, out of stock included). Rows come ordered by SKU ' +
        '(case-insensitively), then location; page with `after=<nextCursor>`.',
      request: { query: StockQuery },
      responses: {
        200: json(z.object({ items: z.array(StockRowOut), nextCursor: z.string().nullable() }), 'A page of rows'),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const [sku = '', location = ''] = q.after?.split('@') ?? [];
      const rows = await store.listStock(deps.db, {
        location: q.location ?? null,
        sku: q.sku ?? null,
        prefix: q.q ?? null,
        low: q.low === 'true',
        after: q.after ? { sku, location } : null,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      const nextCursor = rows.length > q.limit && last ? `${last.sku}@${last.location}` : null;
      return c.json({ items: page.map(rowOut), nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/stock/{location}/{sku}/threshold',
      tags,
      middleware,
      summary: 'Set the low-stock threshold of a row (stock.low.v1 fires when available falls to it)',
      request: { params: z.object({ location: LocationCode, sku: Sku }), body: body(ThresholdIn) },
      responses: { 200: json(StockRowOut, 'The row') },
    }),
    async (c) => {
      const { location, sku } = c.req.valid('param');
      const { lowThreshold } = c.req.valid('json');
      const row = await deps.db.tx(async (tx) => {
        const now = deps.clock();
        const row = await store.setThreshold(tx, sku, location, lowThreshold, now);
        if (!row) throw new NotFound(`no stock row for ${sku} at ${location}`);
        await audited(deps.outbox, tx, {
          ...ctx(c),
          action: 'stock.threshold',
          target: { type: 'stock', id: `${sku}@${location}` },
          at: now,
          details: { lowThreshold },
        });
        return row;
      });
      return c.json(rowOut(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/adjustments',
      tags,
      middleware,
      summary: 'Adjust on-hand stock with a reason',
      description:
        '`receipt` adds `qty`, `damage` removes `qty`, `correction` adds `delta` (±), `count` sets `onHand`. ' +
        'Refused (409) if on hand would fall below what is reserved. With `id`, a retry replays the first result.',
      request: { body: body(AdjustIn) },
      responses: { 200: json(AdjustOut, 'The row after the adjustment') },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const adjustment: Adjustment =
        b.reason === 'correction'
          ? { reason: b.reason, delta: b.delta }
          : b.reason === 'count'
            ? { reason: b.reason, onHand: b.onHand }
            : b.reason === 'receipt'
              ? { reason: b.reason, qty: b.qty }
              : { reason: b.reason, qty: b.qty };
      const { result, replayed } = await adjust(
        deps,
        { id: b.id, sku: b.sku, location: b.location, adjustment, note: b.note },
        ctx(c),
      );
      return c.json({ ...result, replayed }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/transfers',
      tags,
      middleware,
      summary: 'Move available units from one location to another, atomically',
      description:
        'Refused (409 `insufficient_stock`, with `side`: `from` or `to`, and `location`) if the source has fewer ' +
        'available (unreserved) units (`available`, `requested`), or if the destination would hold more than ' +
        '1 000 000 000 on hand (`onHand`, `requested`, `limit`, `constraint: stock_on_hand_bounded`).',

      request: { body: body(TransferIn) },
      responses: { 200: json(TransferOut, 'Both rows after the transfer') },
    }),
    async (c) => {
      const { result, replayed } = await transfer(deps, c.req.valid('json'), ctx(c));
      return c.json({ ...result, replayed }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/movements',
      tags,
      middleware,
      summary: 'The ledger of on-hand changes of a SKU, newest first',
      request: {
        query: z.object({
          sku: Sku,
          location: LocationCode.optional(),
          before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: {
        200: json(
          z.object({
            items: z.array(
              z.object({
                id: z.number(),
                sku: z.string(),
                location: z.string(),
                delta: z.number(),
                reason: z.string(),
                ref: z.string().nullable(),
                actor: z.string().nullable(),
                note: z.string().nullable(),
                at: z.string(),
              }),
            ),
          }),
          'A page of movements',
        ),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await store.listMovements(deps.db, {
        sku: q.sku,
        location: q.location ?? null,
        before: q.before ?? null,
        limit: q.limit,
      });
      return c.json({ items: rows.map((m) => ({ ...m, at: new Date(m.at).toISOString() })) }, 200);
    },
  );

  return app;
}
