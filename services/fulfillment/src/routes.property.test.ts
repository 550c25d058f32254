import { jsonOf } from '@storefront/kit/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTED_STATUSES } from './domain.ts';
import { createRequest, type Harness, harness, SECRET, type Who } from './test-harness.ts';
import { signature } from './webhook-signature.ts';

let h: Harness;
let routes: { method: string; path: string }[];
let known: { orderId: string; shipmentId: string; trackingNumber: string };
beforeAll(async () => {
  h = await harness();
  await h.start();
  const cmd = createRequest(['wh-east'], { customerId: 'cust-p' });
  await h.send('shipment.create-requested.v1', cmd);
  const created = await h.waitFor('created', () => h.heard.find((e) => e.subject === 'shipment.created.v1'));
  known = { orderId: cmd.orderId, ...created.payload.shipments[0] };
  const doc = await jsonOf(await h.get('/openapi.json'));
  routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(() => h.close());

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));

describe('every route under arbitrary input', () => {
  it('lists the routes this test covers', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /orders/{orderId}/shipments',
      'GET /shipments',
      'GET /shipments/{id}',
      'POST /webhooks/carriers/{carrier}',
    ]);
  });

  it('never answers 5xx to reads', async () => {
    const param = fc.oneof(
      fc.constantFrom(known.orderId, known.shipmentId, 'devcarrier', '0'),
      fc.uuid(),
      fc.string({ maxLength: 40 }),
    );
    const query = fc.option(
      fc.oneof(
        fc.constantFrom('?status=delivered', '?status=teleported', '?limit=0', '?limit=201', '?limit=x', '?cursor=abc'),
        fc.uuid().map((u) => `?cursor=${u}&limit=2`),
        printable(40).map((s) => `?status=${encodeURIComponent(s)}&cursor=${encodeURIComponent(s)}`),
      ),
    );
    const who = fc.constantFrom<Who>(
      'anonymous',
      { roles: ['customer'], sub: 'cust-p' },
      { roles: ['customer'], sub: 'someone' },
      { roles: ['fulfillment'] },
      { roles: ['admin'], mfa: false },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(), param, query, who, async (pick, p, q, as) => {
        const gets = routes.filter((r) => r.method === 'GET');
        const route = gets[pick % gets.length];
        if (!route) return;
        const path = route.path.replace(/\{[A-Za-z]+\}/g, () => encodeURIComponent(p)) + (q ?? '');
        const res = await h.get(path, as);
        if (res.status >= 500) throw new Error(`GET ${path} → ${res.status} ${await res.text()}`);
      }),
      { numRuns: 250 },
    );
  });

  it('never answers 5xx to webhooks, signed or not', async () => {
    const now = Math.floor(Date.now() / 1000);
    const report = fc.record(
      {
        id: fc.oneof(fc.uuid(), fc.string({ maxLength: 120 })),
        type: fc.constantFrom('tracking.updated', 'other'),
        trackingNumber: fc.oneof(fc.constant(known.trackingNumber), fc.string({ maxLength: 120 })),
        status: fc.oneof(fc.constantFrom(...REPORTED_STATUSES), fc.string({ maxLength: 20 })),
        occurredAt: fc.oneof(
          fc
            .date({ min: new Date('1970-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString()),
          fc.string({ maxLength: 30 }),
        ),
        detail: fc.string({ maxLength: 600 }),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      report.map((r) => JSON.stringify(r)),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
      fc.constant(''),
    );
    const header = (raw: string) =>
      fc.oneof(
        fc.constant(signature(SECRET, raw, now)),
        fc.integer({ min: -1_000, max: 1_000 }).map((d) => signature(SECRET, raw, now + d)),
        fc.constant(signature('wrong-secret-0123456789', raw, now)),
        printable(200),
        fc.constant(null),
      );
    const carrier = fc.oneof(fc.constant('devcarrier'), fc.constant('ups'), printable(40));
    await fc.assert(
      fc.asyncProperty(
        body.chain((raw) => fc.tuple(fc.constant(raw), header(raw), carrier)),
        async ([raw, sig, name]) => {
          const res =
            name === 'devcarrier'
              ? await h.webhook(raw, { header: sig })
              : await fetch(`${h.url()}/webhooks/carriers/${encodeURIComponent(name)}`, { method: 'POST', body: raw });
          if (res.status >= 500) throw new Error(`webhook ${name} ${raw} → ${res.status} ${await res.text()}`);
        },
      ),
      { numRuns: 300 },
    );
    // Signed reports may have moved the known parcel, but a late label_created never applies.
    const { rows } = await h.db.query<{ bad: number }>(
      `SELECT count(*)::int AS bad FROM tracking_events WHERE applied AND status = 'label_created' AND source = 'carrier'`,
    );
    expect(rows[0]?.bad).toBe(0);
  });
});
