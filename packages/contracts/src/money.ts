import { z } from 'zod';

/** ISO 4217 code, upper case. */
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as USD')
  .describe('ISO 4217 currency code');
export type Currency = z.infer<typeof Currency>;

/** Money is an integer amount of minor units (cents) plus its currency. Never a float. */
export const Money = z.object({
  amount: z.number().int().min(-1_000_000_000_000).max(1_000_000_000_000).describe('integer minor units'),
  currency: Currency,
});
export type Money = z.infer<typeof Money>;

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`money amount must be an integer, got ${amount}`);
  return { amount, currency };
}

function same(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function addMoney(a: Money, b: Money): Money {
  same(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  same(a, b);
  return money(a.amount - b.amount, a.currency);
}

/**
 * Multiplies by a rate given in basis points (1/100 of a percent), rounding half away from zero
 * — the rule every price, discount and tax computation uses.
 */
export function applyBasisPoints(a: Money, basisPoints: number): Money {
  if (!Number.isInteger(basisPoints)) throw new RangeError('basis points must be an integer');
  const raw = (a.amount * basisPoints) / 10_000;
  return money(Math.sign(raw) * Math.round(Math.abs(raw)), a.currency);
}

/** Splits an amount into parts proportional to weights, the remainder going to the largest parts first. */
export function allocate(a: Money, weights: readonly number[]): Money[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (total <= 0) throw new RangeError('weights must sum to a positive number');
  const shares = weights.map((w) => Math.floor((a.amount * w) / total));
  let rest = a.amount - shares.reduce((s, x) => s + x, 0);
  const order = weights.map((w, i) => ({ w, i })).sort((x, y) => y.w - x.w || x.i - y.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) {
    const at = order[k]?.i ?? 0;
    shares[at] = (shares[at] ?? 0) + 1;
  }
  return shares.map((s) => money(s, a.currency));
}

const MINOR_DIGITS: Record<string, number> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3 };

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/** For display only: 1234 USD → "12.34". */
export function formatMinor(m: Money): string {
  const digits = minorDigits(m.currency);
  const sign = m.amount < 0 ? '-' : '';
  const abs = Math.abs(m.amount)
    .toString()
    .padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}
