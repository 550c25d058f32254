import { describe, expect, it } from 'vitest';
import { checkoutStats, describeStats, maxGoalLine, steadyGoalLine } from './checkout-stats.ts';

// Ten accepts a second for 4 s from t = 0; the first second is the warm-up.
const accepts = Array.from({ length: 40 }, (_, i) => ({ at: i * 100, ms: 1 + (i % 10), status: 202 }));
const orders = accepts.map((a, i) => ({
  createdAt: a.at,
  confirmedAt: i === 39 ? null : a.at + 500 + i,
  status: i === 39 ? 'processing' : i === 38 ? 'cancelled' : i % 2 ? 'confirmed' : 'delivered',
  reason: i === 38 ? 'card declined' : null,
}));
orders[38] = { createdAt: 3_800, confirmedAt: null, status: 'cancelled', reason: 'card declined' };

describe('checkout stats', () => {
  const s = checkoutStats([...accepts, { at: 2_000, ms: 3, status: 409 }], orders, 1_000);

  it('leaves the warm-up out and rates accepts over the rest', () => {
    expect(s.from).toBe(1_000);
    expect(s.accepted).toBe(30);
    expect(s.refused).toEqual({ 409: 1 });
    expect(s.acceptedPerSec).toBeCloseTo(30 / 2.9, 5);
    expect(s.acceptMs).toEqual({ p50: 5, p99: 10 });
  });

  it('counts outcomes; an order in flight is never confirmed, so it weighs on the percentiles', () => {
    expect(s).toMatchObject({ orders: 30, confirmed: 28, cancelled: 1, inFlight: 1 });
    expect(s.cancelReasons).toEqual({ 'card declined': 1 });
    expect(s.confirmMs.p50).toBe(500 + 24);
    expect(s.confirmMs.p99).toBe(Number.POSITIVE_INFINITY);
  });

  it('CPU per settled order, and the ceiling it implies on 2 cores', () => {
    expect(s.cpuPerOrderMs).toBeNull();
    const c = checkoutStats(accepts, orders, 0, [], { servicesMs: 390, postgresMs: 110, settled: 50 });
    expect(c.cpuPerOrderMs).toEqual({ services: 7.8, postgres: 2.2, byService: {} });
    expect(describeStats(c)[2]).toMatch(/services 7\.8 ms \+ Postgres 2\.2 ms .* at most ~200 orders\/s/);
  });

  it('says MET or MISSED against the goal of the issue', () => {
    expect(steadyGoalLine(s, 200)).toMatch(/goal ≥ 200\/s with p99 < 200 ms: MISSED.*goal < 2 s: MISSED/);
    const fast = checkoutStats(
      accepts.map((a) => ({ ...a, at: a.at / 20 })),
      orders.slice(0, 38).map((o) => ({ ...o, createdAt: o.createdAt / 20, confirmedAt: o.createdAt / 20 + 100 })),
      0,
    );
    expect(fast.acceptedPerSec).toBeGreaterThan(200);
    expect(steadyGoalLine(fast, 200)).toMatch(/: MET\).*: MET\)$/);
    expect(maxGoalLine(fast)).toMatch(/goal ≥ 200\/s: MET/);
  });
});
