import { formatMinor } from '@storefront/contracts';

/**
 * The cart's arithmetic on integer minor units. The rounding rule is the contracts'
 * `applyBasisPoints` (half away from zero; a test holds the two equal), computed here in BigInt
 * because `amount × basis points` and `amount × weight` can pass 2^53 on large carts.
 */

/** 10^11 minor units (a billion dollars): far above any real cart; adds beyond it are refused. */
export const MAX_CART_AMOUNT = 100_000_000_000;

/** `amount × basisPoints / 10 000`, rounded half away from zero. */
export function basisPointsOf(amount: number, basisPoints: number): number {
  const n = BigInt(amount) * BigInt(basisPoints);
  const negative = n < 0n;
  const abs = negative ? -n : n;
  let q = abs / 10_000n;
  if ((abs % 10_000n) * 2n >= 10_000n) q += 1n;
  return Number(negative ? -q : q);
}

/**
 * Splits `total` over `weights` in proportion, never giving a part more than its weight when
 * `total <= sum(weights)`. Floors first, then the remainder one unit at a time to the largest
 * weights (ties: the earlier index) — the contracts' `allocate` rule, exact for any size.
 */
export function allocateMinor(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (sum <= 0n) return weights.map(() => 0);
  const t = BigInt(total);
  const shares = weights.map((w) => (t * BigInt(w)) / sum);
  let rest = t - shares.reduce((s, x) => s + x, 0n);
  const order = weights
    .map((w, i) => ({ w, i }))
    .filter((x) => x.w > 0)
    .sort((x, y) => y.w - x.w || x.i - y.i);
  for (let k = 0; rest > 0n && order.length > 0; k = (k + 1) % order.length, rest--) {
    const at = order[k]?.i ?? 0;
    shares[at] = (shares[at] ?? 0n) + 1n;
  }
  return shares.map(Number);
}

const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', CAD: 'CA$', AUD: 'A$' };

/** For messages shown to shoppers: 5000 USD → "$50.00", 5000 CHF → "50.00 CHF". */
export function formatMoney(amount: number, currency: string): string {
  const n = formatMinor({ amount, currency });
  const symbol = SYMBOLS[currency];
  return symbol ? `${symbol}${n}` : `${n} ${currency}`;
}
