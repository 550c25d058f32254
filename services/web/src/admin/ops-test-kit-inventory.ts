import { type Answer, json, problem, row, STAFF_ID } from './ops-test-kit-fake.ts';

/** The fake inventory API: locations, stock rows, movements, adjustments, transfers, thresholds. */
export const inventoryAnswer: Answer = (s, call, key) => {
  const q = call.query;
  const b = call.body;
  if (key === 'GET /api/inventory/locations') return json(200, { items: s.locations });
  if (key === 'GET /api/inventory/stock') {
    const prefix = q.get('q')?.toLowerCase();
    const items = s.stock
      .filter(
        (r) =>
          (!q.get('sku') || r.sku === q.get('sku')) &&
          (!q.get('location') || r.location === q.get('location')) &&
          (!prefix || r.sku.toLowerCase().startsWith(prefix)) &&
          (q.get('low') !== 'true' || r.onHand - r.reserved <= r.lowThreshold),
      )
      .map(row);
    return json(200, { items, nextCursor: null });
  }
  if (key === 'GET /api/inventory/movements') {
    return json(200, {
      items: [
        {
          id: 7,
          sku: q.get('sku'),
          location: 'wh-east',
          delta: -2,
          reason: 'transfer-out',
          ref: 'transfer:abc',
          actor: STAFF_ID,
          note: '<script>alert(1)</script>',
          at: '2025-03-02T10:00:00.000Z',
        },
      ],
    });
  }
  if (key === 'POST /api/inventory/adjustments') {
    const r = s.stock.find((x) => x.sku === b.sku && x.location === b.location);
    if (!s.locations.some((l) => l.code === b.location)) return problem(422, 'unknown_location', 'no location');
    const current = r ?? { sku: b.sku, location: b.location, onHand: 0, reserved: 0, lowThreshold: 0 };
    const next =
      b.reason === 'count'
        ? b.onHand
        : b.reason === 'correction'
          ? current.onHand + b.delta
          : b.reason === 'receipt'
            ? current.onHand + b.qty
            : current.onHand - b.qty;
    if (next < current.reserved) {
      return problem(409, 'insufficient_stock', `on hand would be ${next} but ${current.reserved} are reserved`, {
        onHand: current.onHand,
        reserved: current.reserved,
      });
    }
    current.onHand = next;
    if (!r) s.stock.push(current);
    return json(200, { ...row(current), id: b.id ?? 'op', delta: 0, reason: b.reason, replayed: false });
  }
  if (key === 'POST /api/inventory/transfers') {
    const from = s.stock.find((x) => x.sku === b.sku && x.location === b.from);
    const available = from ? from.onHand - from.reserved : 0;
    if (!from || available < b.qty) {
      return problem(409, 'insufficient_stock', `${b.sku} at ${b.from} has ${available} available`, {
        side: 'from',
        location: b.from,
        available,
        requested: b.qty,
      });
    }
    from.onHand -= b.qty;
    return json(200, { id: 't1', sku: b.sku, qty: b.qty, from: row(from), to: row(from), replayed: false });
  }
  const threshold = /^PUT \/api\/inventory\/stock\/([^/]+)\/([^/]+)\/threshold$/.exec(key);
  if (threshold) {
    const r = s.stock.find((x) => x.location === threshold[1] && x.sku === decodeURIComponent(threshold[2] ?? ''));
    if (!r) return problem(404, 'not_found', 'no stock row');
    r.lowThreshold = b.lowThreshold;
    return json(200, row(r));
  }
  if (key === 'POST /api/inventory/locations') {
    if (s.locations.some((l) => l.code === b.code)) return problem(409, 'conflict', `location ${b.code} exists`);
    s.locations.push({ priority: 10, ...b });
    return json(201, b);
  }
  const loc = /^PATCH \/api\/inventory\/locations\/([^/]+)$/.exec(key);
  if (loc) {
    const l = s.locations.find((x) => x.code === loc[1]);
    if (!l) return problem(404, 'not_found', 'no location');
    Object.assign(l, b);
    return json(200, l);
  }
  return undefined;
};
