import {
  type AuthEnv,
  type Caller,
  callerOf,
  createRoute,
  createRouter,
  Forbidden,
  NotFound,
  z,
} from '@storefront/kit';
import { ORDER_DESK, onDesk, readerOf, STAFF_ROUTES, staffOnly } from './access.ts';
import type { OrdersDeps } from './app.ts';
import { canRead } from './domain.ts';
import { receiveReturn } from './return-receipt.ts';
import { approveReturn, inspectReturn, rejectReturn, requestReturn } from './returns.ts';
import { RETURN_REASONS } from './returns-rules.ts';
import { body, Id, IdParams, json, ORDER_TOKEN_HEADER } from './schemas.ts';
import { getOrder } from './store-orders.ts';
import {
  getReturn,
  listReturns,
  RETURN_STATUSES,
  type Return,
  returnsOf,
  type StaffReturn,
  staffReturn,
} from './store-returns.ts';

const tags = ['returns'];
const Location = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  .max(32);
const ReturnIn = z.object({
  lines: z
    .array(
      z.object({
        sku: z.string().min(1).max(64),
        qty: z.number().int().min(1).max(999),
        reason: z.enum(RETURN_REASONS),
      }),
    )
    .min(1)
    .max(50),
  note: z.string().trim().max(1000).optional(),
});
const ReturnOut = z.object({
  id: z.string(),
  orderId: z.string(),
  status: z.enum(RETURN_STATUSES),
  lines: z.array(z.object({ sku: z.string(), qty: z.number(), reason: z.string() })),
  label: z.object({ carrier: z.string(), trackingNumber: z.string(), labelUrl: z.string() }).nullable(),
  refundAmount: z.number().nullable(),
  restocked: z.boolean(),
  createdAt: z.string(),
});
const REFUND_STATES = ['none', 'requested', 'refunded', 'failed'] as const;
const refundState = (r: Return): (typeof REFUND_STATES)[number] =>
  r.status === 'refunded'
    ? 'refunded'
    : r.status === 'refund_failed'
      ? 'failed'
      : r.status === 'refunding'
        ? 'requested'
        : 'none';
const StaffReturnOut = ReturnOut.extend({
  orderNumber: z.string(),
  currency: z.string(),
});
const ReturnDetailOut = StaffReturnOut.extend({
  note: z.string().nullable().openapi({ description: "the customer's note" }),
  rejection: z.string().nullable().openapi({ description: 'why staff rejected it' }),
  toLocation: z.string().nullable().openapi({ description: 'where the parcel goes back to (set on approval)' }),
  refund: z.object({
    state: z.enum(REFUND_STATES),
    id: z.string().nullable(),
    amount: z.number().nullable(),
    shipping: z.boolean().openapi({ description: 'the shipping is part of it' }),
  }),
  restockLocation: z.string().nullable(),
  decidedBy: z.string().nullable(),
  updatedAt: z.string(),
});
const view = (r: Return) => ({
  id: r.id,
  orderId: r.orderId,
  status: r.status,
  lines: [...r.lines],
  label: r.label,
  refundAmount: r.refundAmount,
  restocked: r.restocked,
  createdAt: r.createdAt.toISOString(),
});
const staffView = (r: StaffReturn) => ({ ...view(r), orderNumber: r.orderNumber, currency: r.currency });
const detailView = (r: StaffReturn) => ({
  ...staffView(r),
  note: r.note,
  rejection: r.rejection,
  toLocation: r.toLocation,
  refund: { state: refundState(r), id: r.refundId, amount: r.refundAmount, shipping: r.refundShipping },
  restockLocation: r.restockLocation,
  decidedBy: r.decidedBy,
  updatedAt: r.updatedAt.toISOString(),
});
const tokenHeader = z.object({ [ORDER_TOKEN_HEADER]: z.string().max(128).optional() });

/**
 * Returns for customers (their own orders, or a guest with the order token) and their handling by
 * staff: the queue, receiving and inspecting for order staff (support, fulfillment, admin);
 * decisions and a refund amount of one's own choosing for the desk (support, admin).
 */
export function returnRoutes(deps: OrdersDeps) {
  const app = createRouter<AuthEnv>();

  // Asking for a return on a customer's behalf is the desk's; the warehouse only reads them.
  const readable = async (
    c: Parameters<typeof readerOf>[0],
    orderId: string,
    staff = STAFF_ROUTES['GET /admin/orders/{id}'],
  ) => {
    const reader = readerOf(c, deps.orderTokenSecret, orderId, staff);
    const order = reader ? await getOrder(deps.db, orderId) : null;
    if (!order || !reader || !canRead(reader, order)) throw new NotFound(`no order ${orderId}`);
    return order;
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/returns',
      tags,
      summary: 'Ask to return lines of a delivered order (within 30 days of delivery)',
      description: '409 `return_refused` outside the window, for units not bought or already in a return.',
      request: { params: IdParams, headers: tokenHeader, body: body(ReturnIn) },
      responses: { 201: json(ReturnOut, 'The return, requested') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      await readable(c, id, ORDER_DESK);
      const returnId = await requestReturn(deps, id, input.lines, input.note ?? null);
      const r = await getReturn(deps.db, returnId);
      if (!r) throw new NotFound(`no return ${returnId}`);
      return c.json(view(r), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/orders/{id}/returns',
      tags,
      summary: "An order's returns",
      request: { params: IdParams, headers: tokenHeader },
      responses: { 200: json(z.object({ items: z.array(ReturnOut) }), 'The returns') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await readable(c, id);
      return c.json({ items: (await returnsOf(deps.db, id)).map(view) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/returns',
      tags,
      middleware: staffOnly('GET /admin/returns'),
      summary: 'Staff: returns newest first, by status',
      request: {
        query: z.object({
          status: z.enum(RETURN_STATUSES).optional(),
          cursor: Id.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: {
        200: json(z.object({ items: z.array(StaffReturnOut), nextCursor: z.string().nullable() }), 'A page'),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await listReturns(deps.db, {
        status: q.status ?? null,
        before: q.cursor ?? null,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return c.json({ items: page.map(staffView), nextCursor: rows.length > q.limit && last ? last.id : null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/returns/{id}',
      tags,
      middleware: staffOnly('GET /admin/returns/{id}'),
      summary: "Staff: one return with its order's number and currency, the customer's note and reasons, label, refund",
      request: { params: IdParams },
      responses: { 200: json(ReturnDetailOut, 'The return') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const r = await staffReturn(deps.db, id);
      if (!r) throw new NotFound(`no return ${id}`);
      return c.json(detailView(r), 200);
    },
  );

  const decision = (
    path: `/admin/returns/{id}/${'approve' | 'reject' | 'inspect'}`,
    summary: string,
    input: z.ZodObject,
    run: (id: string, b: never, caller: Caller, onDesk: boolean) => Promise<unknown>,
  ) =>
    app.openapi(
      createRoute({
        method: 'post',
        path,
        tags,
        middleware: staffOnly(`POST ${path}`),
        summary,
        request: { params: IdParams, body: body(input) },
        responses: { 200: json(ReturnOut, 'The return') },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await run(id, c.req.valid('json') as never, callerOf(c), onDesk(c));
        const r = await getReturn(deps.db, id);
        if (!r) throw new NotFound(`no return ${id}`);
        return c.json(view(r), 200);
      },
    );

  decision(
    '/admin/returns/{id}/approve',
    'Approve (support, admin): a return label is asked of fulfillment',
    z.object({ toLocation: Location }),
    (id, b: { toLocation: string }, caller) => approveReturn(deps, id, b.toLocation, caller.id),
  );
  decision(
    '/admin/returns/{id}/reject',
    'Reject with a reason (support, admin)',
    z.object({ reason: z.string().trim().min(1).max(500) }),
    (id, b: { reason: string }, caller) => rejectReturn(deps, id, b.reason, caller.id),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/returns/{id}/receive',
      tags,
      middleware: staffOnly('POST /admin/returns/{id}/receive'),
      summary: 'The parcel is at the warehouse (no carrier scan needed): approved | label_created → received',
      description:
        'No body. Marking a received return again answers it unchanged; other statuses are 409 `return_refused`.',
      request: { params: IdParams },
      responses: { 200: json(ReturnOut, 'The return') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await receiveReturn(deps, id, callerOf(c).id);
      const r = await getReturn(deps.db, id);
      if (!r) throw new NotFound(`no return ${id}`);
      return c.json(view(r), 200);
    },
  );
  decision(
    '/admin/returns/{id}/inspect',
    'Inspected: refund (the rule amount; support and admin may give a lower `refundAmount`) and restock',
    z.object({ restockLocation: Location, refundAmount: z.number().int().min(0).max(1_000_000_000_000).optional() }),
    (id, b: { restockLocation: string; refundAmount?: number }, caller, desk) => {
      if (b.refundAmount !== undefined && !desk) {
        throw new Forbidden("a refund amount other than the return rule's is for support or admin", {
          extensions: { code: 'refund_amount_forbidden' },
        });
      }
      return inspectReturn(deps, id, b, caller.id);
    },
  );
  return app;
}
