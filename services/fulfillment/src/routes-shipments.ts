import {
  type AuthEnv,
  authenticate,
  createRoute,
  createRouter,
  NotFound,
  requireMfa,
  requireRole,
  type Verifier,
  z,
} from '@storefront/kit';
import { readerOf, SHIPMENT_STAFF } from './access.ts';
import type { Core } from './core.ts';
import { canRead, type Reader, type Shipment, type TimelineEntry } from './domain.ts';
import { Id, json, OrderShipmentsOut, ShipmentOut, ShipmentPageOut, Status } from './schemas.ts';
import * as store from './store-shipments.ts';
import { timelines } from './store-tracking.ts';

const tags = ['shipments'];

function summary(s: Shipment, reader: Reader) {
  return {
    id: s.id,
    orderId: s.orderId,
    kind: s.kind,
    returnId: s.returnId,
    location: s.location,
    lines: [...s.lines],
    address: s.address,
    method: s.method,
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    labelUrl: reader.kind === 'staff' || s.kind === 'return' ? s.labelUrl : null,
    status: s.status,
    deliveredAt: s.deliveredAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

function withTimeline(s: Shipment, reader: Reader, entries: readonly TimelineEntry[]) {
  return { ...summary(s, reader), timeline: entries.map((e) => ({ ...e, at: e.at.toISOString() })) };
}

/**
 * Reading shipments and their tracking. A customer sees the shipments of their own orders (any
 * other id is a 404, so ids cannot be probed); fulfillment, support and admin staff see all.
 */
export function shipmentRoutes(core: Core, verifier: Verifier) {
  const app = createRouter<AuthEnv>();
  const signedIn = authenticate({ verifier });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/orders/{orderId}/shipments',
      tags,
      middleware: [signedIn],
      summary: "An order's shipments (outbound parcels and returns) with their tracking timelines",
      request: { params: z.object({ orderId: Id }) },
      responses: { 200: json(OrderShipmentsOut, 'The shipments') },
    }),
    async (c) => {
      const { orderId } = c.req.valid('param');
      const reader = readerOf(c);
      const list = (await store.shipmentsOfOrder(core.db, orderId)).filter((s) => canRead(reader, s));
      if (!list.length) throw new NotFound(`no shipments for order ${orderId}`);
      const lines = await timelines(
        core.db,
        list.map((s) => s.id),
      );
      const shipments = list.map((s) => withTimeline(s, reader, lines.get(s.id) ?? []));
      return c.json({ orderId, shipments }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/shipments/{id}',
      tags,
      middleware: [signedIn],
      summary: 'One shipment with its tracking timeline',
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(ShipmentOut, 'The shipment') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const reader = readerOf(c);
      const s = await store.shipmentById(core.db, id);
      if (!s || !canRead(reader, s)) throw new NotFound(`no shipment ${id}`);
      const lines = await timelines(core.db, [s.id]);
      return c.json(withTimeline(s, reader, lines.get(s.id) ?? []), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/shipments',
      tags,
      middleware: [signedIn, requireRole(...SHIPMENT_STAFF), requireMfa()],
      summary: 'Staff: shipments newest first, optionally by status',
      request: {
        query: z.object({
          status: Status.optional(),
          cursor: Id.optional().describe('nextCursor of the previous page'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: { 200: json(ShipmentPageOut, 'A page of shipments') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await store.listShipments(core.db, {
        status: q.status ?? null,
        before: q.cursor ?? null,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      const nextCursor = rows.length > q.limit && last ? last.id : null;
      return c.json({ items: page.map((s) => summary(s, { kind: 'staff' })), nextCursor }, 200);
    },
  );

  return app;
}
