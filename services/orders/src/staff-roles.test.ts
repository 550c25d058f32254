import type { Role } from '@storefront/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveredOrder } from './test-orders.ts';
import { type Platform, platform, waitFor } from './test-platform.ts';

/**
 * Who may call each staff route: the desk (support, admin) does everything; the warehouse
 * (fulfillment) reads orders and works the returns queue (receive, inspect at the rule's amount)
 * but never refunds, cancels, decides a return or picks a refund amount. MFA always.
 */
let p: Platform;
beforeAll(async () => {
  // The dev carrier steps only when a test moves its jobs forward (advanceCarrier), never by the clock.
  p = await platform({ stepMs: 600_000 });
}, 60_000);
afterAll(() => p.close());

const ROLES = ['support', 'fulfillment', 'admin', 'merchandiser', 'customer'] as const;
const MISSING = '00000000-0000-7000-8000-000000000000';
type Call = { method: string; path: string; body?: unknown; headers?: Record<string, string> };
const ROUTES: { call: Call; ok: number; roles: readonly (typeof ROLES)[number][] }[] = [
  { call: { method: 'GET', path: '/admin/stats' }, ok: 200, roles: ['support', 'fulfillment', 'admin'] },
  { call: { method: 'GET', path: '/admin/orders' }, ok: 200, roles: ['support', 'fulfillment', 'admin'] },
  { call: { method: 'GET', path: `/admin/orders/${MISSING}` }, ok: 404, roles: ['support', 'fulfillment', 'admin'] },
  {
    call: { method: 'POST', path: `/admin/orders/${MISSING}/cancel`, body: { reason: 'r' } },
    ok: 404,
    roles: ['support', 'admin'],
  },
  {
    call: { method: 'POST', path: `/admin/orders/${MISSING}/notes`, body: { body: 'n' } },
    ok: 404,
    roles: ['support', 'admin'],
  },
  {
    call: {
      method: 'POST',
      path: `/admin/orders/${MISSING}/refund`,
      body: { reason: 'r' },
      headers: { 'idempotency-key': 'roles-key' },
    },
    ok: 404,
    roles: ['support', 'admin'],
  },
  { call: { method: 'GET', path: '/admin/returns' }, ok: 200, roles: ['support', 'fulfillment', 'admin'] },
  { call: { method: 'GET', path: `/admin/returns/${MISSING}` }, ok: 404, roles: ['support', 'fulfillment', 'admin'] },
  {
    call: { method: 'POST', path: `/admin/returns/${MISSING}/approve`, body: { toLocation: 'wh-1' } },
    ok: 404,
    roles: ['support', 'admin'],
  },
  {
    call: { method: 'POST', path: `/admin/returns/${MISSING}/reject`, body: { reason: 'r' } },
    ok: 404,
    roles: ['support', 'admin'],
  },
  {
    call: { method: 'POST', path: `/admin/returns/${MISSING}/receive` },
    ok: 404,
    roles: ['support', 'fulfillment', 'admin'],
  },
  {
    call: { method: 'POST', path: `/admin/returns/${MISSING}/inspect`, body: { restockLocation: 'wh-1' } },
    ok: 404,
    roles: ['support', 'fulfillment', 'admin'],
  },
  // A refund amount of one's own choosing is the desk's.
  {
    call: {
      method: 'POST',
      path: `/admin/returns/${MISSING}/inspect`,
      body: { restockLocation: 'wh-1', refundAmount: 100 },
    },
    ok: 404,
    roles: ['support', 'admin'],
  },
];

const send = async (c: Call, token: string) => p.call(c.method, c.path, { token, body: c.body, headers: c.headers });
const code = async (res: Response) => ((await res.json()) as { code?: string }).code;

describe('role × route', () => {
  for (const { call, ok, roles } of ROUTES) {
    const name = `${call.method} ${call.path.replace(MISSING, '{id}')}${
      (call.body as { refundAmount?: number } | undefined)?.refundAmount ? ' with refundAmount' : ''
    }`;
    it(`${name}: ${roles.join(', ')}; 403 for the rest and without MFA`, async () => {
      for (const role of ROLES) {
        const res = await send(call, await p.token(`roles-${role}`, [role as Role]));
        const want = (roles as readonly string[]).includes(role) ? ok : 403;
        expect(res.status, `${role}: ${await res.clone().text()}`).toBe(want);
        expect(res.headers.get('content-type') ?? '', role).toMatch(want === 200 ? /json/ : /problem\+json/);
      }
      for (const role of roles) {
        const res = await send(call, await p.token(`roles-${role}-nomfa`, [role as Role], false));
        expect(res.status, `${role} without MFA`).toBe(403);
        expect(await code(res)).toBe('mfa_required');
      }
      expect((await p.call(call.method, call.path, { body: call.body, headers: call.headers })).status).toBe(401);
    });
  }
});

/** Moves every scheduled dev-carrier step to now: the parcel advances one step per call. */
const advanceCarrier = () =>
  p.dbs.fulfillment.query(`UPDATE carrier_jobs SET due_at = now() WHERE due_at > now() AND due_at < 'infinity'`);

describe('the warehouse works a return', () => {
  it('reads the order, receives and inspects the return at the rule amount; money and decisions stay with the desk', async () => {
    const { id, token } = await deliveredOrder(p, 'cust-wh', advanceCarrier);
    const wh = await p.token('wh-1', ['fulfillment']);
    const desk = await p.token('desk-1', ['support']);

    // Reads: the search, the detail, the customer-facing order and its returns.
    const detail = await p.call('GET', `/admin/orders/${id}`, { token: wh });
    expect(detail.status).toBe(200);
    const number = ((await detail.json()) as { order: { number: string } }).order.number;
    const found = (await (await p.call('GET', `/admin/orders?number=${number}`, { token: wh })).json()) as {
      items: { id: string }[];
    };
    expect(found.items.map((o) => o.id)).toEqual([id]);
    expect((await p.call('GET', `/orders/${id}`, { token: wh })).status).toBe(200);
    expect((await p.call('GET', `/orders/${id}/returns`, { token: wh })).status).toBe(200);

    const lines = [
      { sku: 'SKU-A', qty: 2, reason: 'changed_mind' },
      { sku: 'SKU-B', qty: 1, reason: 'does_not_fit' },
    ];
    // Asking for a return on the customer's behalf is the desk's: the warehouse is a stranger here.
    expect((await p.call('POST', `/orders/${id}/returns`, { token: wh, body: { lines } })).status).toBe(404);
    const created = await p.call('POST', `/orders/${id}/returns`, { token, body: { lines } });
    expect(created.status).toBe(201);
    const rid = ((await created.json()) as { id: string }).id;

    // Not received before it is approved; approving is the desk's.
    const early = await p.call('POST', `/admin/returns/${rid}/receive`, { token: wh });
    expect(early.status).toBe(409);
    expect(await code(early)).toBe('return_refused');
    expect(
      (await p.call('POST', `/admin/returns/${rid}/approve`, { token: wh, body: { toLocation: 'wh-2' } })).status,
    ).toBe(403);
    expect(
      (await p.call('POST', `/admin/returns/${rid}/approve`, { token: desk, body: { toLocation: 'wh-2' } })).status,
    ).toBe(200);
    const ret = async () =>
      (await (await p.call('GET', `/admin/returns/${rid}`, { token: wh })).json()) as {
        status: string;
        restocked: boolean;
        refund: { state: string; amount: number | null };
      };
    await waitFor('label created', async () => (await ret()).status === 'label_created');

    // The parcel is on the bench before the carrier scanned it: the warehouse marks it received.
    const received = await p.call('POST', `/admin/returns/${rid}/receive`, { token: wh });
    expect(received.status, await received.clone().text()).toBe(200);
    expect(((await received.json()) as { status: string }).status).toBe('received');
    expect((await p.call('POST', `/admin/returns/${rid}/receive`, { token: wh })).status).toBe(200);

    const partial = await p.call('POST', `/admin/returns/${rid}/inspect`, {
      token: wh,
      body: { restockLocation: 'wh-2', refundAmount: 100 },
    });
    expect(partial.status).toBe(403);
    expect(await code(partial)).toBe('refund_amount_forbidden');
    expect((await ret()).status).toBe('received');

    const inspected = await p.call('POST', `/admin/returns/${rid}/inspect`, {
      token: wh,
      body: { restockLocation: 'wh-2' },
    });
    expect(inspected.status, await inspected.clone().text()).toBe(200);
    const done = await waitFor('refunded and restocked', async () => {
      const r = await ret();
      return r.status === 'refunded' && r.restocked ? r : undefined;
    });
    // The rule's amount: 2×1000 + 3000 + 10 % tax + 500 shipping for the whole order.
    expect(done.refund).toMatchObject({ state: 'refunded', amount: 6_000 });
    expect((await p.call('POST', `/admin/returns/${rid}/receive`, { token: wh })).status).toBe(409);

    // Money and the order's course stay with the desk.
    expect(
      (
        await p.call('POST', `/admin/orders/${id}/refund`, {
          token: wh,
          headers: { 'idempotency-key': 'wh-refund' },
          body: { reason: 'r' },
        })
      ).status,
    ).toBe(403);
    expect((await p.call('POST', `/admin/orders/${id}/cancel`, { token: wh, body: { reason: 'r' } })).status).toBe(403);

    const { rows } = await p.dbs.orders.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM outbox WHERE subject = 'audit.recorded.v1' AND payload->'target'->>'id' = $1 ORDER BY seq`,
      [id],
    );
    expect(rows.map((r) => r.payload)).toMatchObject([
      { action: 'return.approve', actor: { id: 'desk-1' } },
      { action: 'return.receive', actor: { id: 'wh-1' }, details: { returnId: rid } },
      { action: 'return.inspect', actor: { id: 'wh-1' }, details: { returnId: rid, amount: 6_000 } },
    ]);
  }, 90_000);
});
