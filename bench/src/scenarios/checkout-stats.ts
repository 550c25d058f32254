import { percentile } from '../latency.ts';

/**
 * The checkout figures autocannon cannot see: how long an accepted order takes to be confirmed,
 * and the accept call as timed inside the orders process. The target gathers the samples; these
 * pure functions turn them into figures and the goal lines of issue 6.
 */

/** One POST /checkout as the target answered it: when it arrived (epoch ms), how long (ms), which status. */
export interface AcceptSample {
  readonly at: number;
  readonly ms: number;
  readonly status: number;
}

/** One order from the orders table; times in epoch ms. */
export interface OrderSample {
  readonly createdAt: number;
  readonly confirmedAt: number | null;
  readonly status: string;
  readonly reason: string | null;
}

export interface CheckoutStats {
  /** Samples before this (epoch ms) were left out: the warm-up. */
  readonly from: number;
  readonly accepted: number;
  readonly refused: Record<string, number>;
  readonly acceptedPerSec: number;
  readonly acceptMs: { readonly p50: number; readonly p99: number };
  /** The cart's quote inside those accepts. */
  readonly quoteMs: { readonly p50: number; readonly p99: number };
  readonly orders: number;
  readonly confirmed: number;
  readonly cancelled: number;
  readonly inFlight: number;
  readonly cancelReasons: Record<string, number>;
  /** accept → confirmed; an order still in flight counts as never (Infinity). */
  readonly confirmMs: { readonly p50: number; readonly p99: number };
  /** CPU per settled order since the platform was up (warm-up included), when it was measured. */
  readonly cpuPerOrderMs: {
    readonly services: number;
    readonly postgres: number;
    readonly byService: Readonly<Record<string, number>>;
  } | null;
}

/** CPU the platform's processes used since it was up, and how many orders settled meanwhile. */
export interface CpuUse {
  /** orders, catalog, inventory, cart, payments, fulfillment (NATS is shared, so not counted). */
  readonly servicesMs: number;
  /** The same by service. */
  readonly byServiceMs?: Readonly<Record<string, number>>;
  /** The Postgres backends of the platform's database. */
  readonly postgresMs: number;
  readonly settled: number;
}

const CONFIRMED = new Set(['confirmed', 'shipped', 'delivered']);

export function checkoutStats(
  accepts: readonly AcceptSample[],
  orders: readonly OrderSample[],
  skipMs: number,
  quotes: readonly { readonly at: number; readonly ms: number }[] = [],
  cpu?: CpuUse,
): CheckoutStats {
  const first = accepts.reduce((m, a) => Math.min(m, a.at), Number.POSITIVE_INFINITY);
  const from = first + skipMs;
  const window = accepts.filter((a) => a.at >= from);
  const ok = window.filter((a) => a.status === 202);
  const refused: Record<string, number> = {};
  for (const a of window) if (a.status !== 202) refused[a.status] = (refused[a.status] ?? 0) + 1;
  const last = ok.reduce((m, a) => Math.max(m, a.at), from);
  const spanSec = (last - from) / 1000;
  const sorted = (xs: number[]) => Float64Array.from(xs).sort();
  const acceptSorted = sorted(ok.map((a) => a.ms));
  const quoteSorted = sorted(quotes.filter((q) => q.at >= from).map((q) => q.ms));

  const placed = orders.filter((o) => o.createdAt >= from);
  const cancelReasons: Record<string, number> = {};
  let confirmed = 0;
  let cancelled = 0;
  const waits: number[] = [];
  for (const o of placed) {
    if (CONFIRMED.has(o.status) || o.confirmedAt !== null) {
      confirmed++;
      waits.push((o.confirmedAt ?? Number.POSITIVE_INFINITY) - o.createdAt);
    } else if (o.status === 'cancelled') {
      cancelled++;
      const why = o.reason ?? 'no reason';
      cancelReasons[why] = (cancelReasons[why] ?? 0) + 1;
    } else waits.push(Number.POSITIVE_INFINITY);
  }
  const waitSorted = sorted(waits);
  return {
    from,
    accepted: ok.length,
    refused,
    acceptedPerSec: spanSec > 0 ? ok.length / spanSec : 0,
    acceptMs: { p50: percentile(acceptSorted, 50), p99: percentile(acceptSorted, 99) },
    quoteMs: { p50: percentile(quoteSorted, 50), p99: percentile(quoteSorted, 99) },
    orders: placed.length,
    confirmed,
    cancelled,
    inFlight: placed.length - confirmed - cancelled,
    cancelReasons,
    confirmMs: { p50: percentile(waitSorted, 50), p99: percentile(waitSorted, 99) },
    cpuPerOrderMs:
      cpu && cpu.settled > 0
        ? {
            services: cpu.servicesMs / cpu.settled,
            postgres: cpu.postgresMs / cpu.settled,
            byService: Object.fromEntries(
              Object.entries(cpu.byServiceMs ?? {}).map(([name, ms]) => [name, ms / cpu.settled]),
            ),
          }
        : null,
  };
}

/** Issue 6: ≥ 200 orders/s accepted with p99 < 200 ms, and confirmation p99 < 2 s. */
export const GOAL = { acceptedPerSec: 200, acceptP99Ms: 200, confirmP99Ms: 2_000 } as const;

const ms = (x: number) =>
  Number.isFinite(x) ? (x >= 1_000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`) : 'never (in flight)';
const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');

export function describeStats(s: CheckoutStats): string[] {
  const refused = Object.entries(s.refused)
    .map(([k, v]) => `${v}× ${k}`)
    .join(', ');
  const reasons = Object.entries(s.cancelReasons)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${v}× "${k}"`)
    .join(', ');
  const cpu = s.cpuPerOrderMs;
  const perOrder = cpu ? cpu.services + cpu.postgres : 0;
  return [
    `accepted ${s.accepted} orders at ${s.acceptedPerSec.toFixed(1)}/s; accept (inside orders) p50 ${ms(s.acceptMs.p50)}, ` +
      `p99 ${ms(s.acceptMs.p99)} (of which the cart's quote p50 ${ms(s.quoteMs.p50)}, p99 ${ms(s.quoteMs.p99)})` +
      `${refused ? `; refused ${refused}` : ''}`,
    `of them confirmed ${s.confirmed}, cancelled ${s.cancelled}${reasons ? ` (${reasons})` : ''}, still in flight ${s.inFlight}; ` +
      `accept → confirmed p50 ${ms(s.confirmMs.p50)}, p99 ${ms(s.confirmMs.p99)}`,
    ...(cpu
      ? [
          `CPU per settled order: services ${cpu.services.toFixed(1)} ms + Postgres ${cpu.postgres.toFixed(1)} ms ` +
            `(NATS not counted): at most ~${Math.floor(2_000 / perOrder)} orders/s if it had 2 cores to itself`,
          ...(Object.keys(cpu.byService).length
            ? [
                `  by service: ${Object.entries(cpu.byService)
                  .sort((a, b) => b[1] - a[1])
                  .map(([name, v]) => `${name} ${v.toFixed(1)}`)
                  .join(', ')} ms`,
              ]
            : []),
        ]
      : []),
  ];
}

/**
 * The steady stream at the goal's rate answers all three parts: did it keep up with 200/s, at
 * what accept p99, and how fast orders were confirmed. The client-side p99 of the same calls is
 * the `fixed` row of the table.
 */
export function steadyGoalLine(s: CheckoutStats, rate: number): string {
  const keptUp = s.acceptedPerSec >= rate * 0.98 && Object.keys(s.refused).length === 0;
  const accept = keptUp && rate >= GOAL.acceptedPerSec && s.acceptMs.p99 < GOAL.acceptP99Ms;
  const confirm = s.confirmMs.p99 < GOAL.confirmP99Ms;
  return (
    `checkout at ${rate}/s: ${s.acceptedPerSec.toFixed(1)} orders/s accepted, p99 ${ms(s.acceptMs.p99)} ` +
    `(goal ≥ ${GOAL.acceptedPerSec}/s with p99 < ${GOAL.acceptP99Ms} ms: ${verdict(accept)}); ` +
    `confirmation p99 ${ms(s.confirmMs.p99)} (goal < ${GOAL.confirmP99Ms / 1000} s: ${verdict(confirm)})`
  );
}

export function maxGoalLine(s: CheckoutStats): string {
  return (
    `checkout at max: ${s.acceptedPerSec.toFixed(1)} orders/s accepted ` +
    `(goal ≥ ${GOAL.acceptedPerSec}/s: ${verdict(s.acceptedPerSec >= GOAL.acceptedPerSec)}), ` +
    `accept p99 ${ms(s.acceptMs.p99)} under a closed loop (queueing, not a latency figure)`
  );
}
