import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { z } from 'zod';
import type { ApiResult } from '../api.ts';
import type { WebEnv } from '../env.ts';

/**
 * The payment side of checkout: the sandbox card's fields, tokenizing the card once per attempt,
 * and where a payment step (3-D Secure) may send the browser.
 */

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export const CardNumber = z
  .string()
  .trim()
  .min(1, 'Please enter the card number')
  .transform((s) => s.replace(/[\s-]/g, ''))
  .refine((s) => /^\d{12,19}$/.test(s) && luhn(s), 'That card number is not valid');
export const CardExpiry = z
  .string()
  .trim()
  .min(1, 'Please enter the expiry date')
  .regex(/^(0?[1-9]|1[0-2])\s*\/\s*(\d{2}|\d{4})$/, 'Enter the expiry as MM/YY')
  .transform((s) => {
    const [m, y] = s.split('/').map((x) => Number(x.trim()));
    return { month: m as number, year: (y as number) < 100 ? 2000 + (y as number) : (y as number) };
  })
  .refine((e) => {
    const now = new Date();
    return e.year > now.getUTCFullYear() || (e.year === now.getUTCFullYear() && e.month >= now.getUTCMonth() + 1);
  }, 'This card has expired');
export const CardCvc = z
  .string()
  .trim()
  .regex(/^\d{3,4}$/, 'The security code is the 3 or 4 digits on the back of the card');

/** The origin the shopper's browser uses (the gateway's forwarded host), for the payment return URL. */
export function publicOrigin(c: Context<WebEnv>): string {
  const proto = c.req.header('x-forwarded-proto');
  const host = c.req.header('x-forwarded-host') ?? c.req.header('host');
  if ((proto === 'http' || proto === 'https') && host && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) {
    return `${proto}://${host}`;
  }
  return new URL(c.req.url).origin;
}

/** Where a payment step may send the browser: our own origin, or an https page (Stripe's). */
export function safeActionUrl(c: Context<WebEnv>, url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url, publicOrigin(c));
    const ours = new URL(publicOrigin(c));
    if (u.protocol === 'https:' || (u.protocol === 'http:' && u.host === ours.host)) return u.toString();
  } catch {
    /* not a URL */
  }
  return undefined;
}

/**
 * One tokenization per checkout attempt and card: a double submit of the same form waits for the
 * first one's token, so both place the order with the same body and the Idempotency-Key answers
 * the same order. Entries live ten minutes (process memory; another replica re-tokenizes and the
 * orders API then refuses the second request instead of placing a second order).
 */
const tokenized = new Map<string, { at: number; pm: Promise<ApiResult<{ id: string }>> }>();
const TOKEN_TTL_MS = 10 * 60_000;

export function tokenizeOnce(
  c: Context<WebEnv>,
  key: string,
  card: { number: string; month: number; year: number; cvc: string },
): Promise<ApiResult<{ id: string }>> {
  const now = Date.now();
  for (const [k, v] of tokenized) {
    if (now - v.at > TOKEN_TTL_MS || tokenized.size > 5000) tokenized.delete(k);
    else break;
  }
  const fp = createHash('sha256')
    .update(`${key}\u0000${card.number}\u0000${card.month}/${card.year}\u0000${card.cvc}`)
    .digest('base64url');
  const hit = tokenized.get(fp);
  if (hit) return hit.pm;
  const pm = c
    .get('api')
    .call<{ id: string }>(c, 'POST', '/api/payments/sandbox/payment-methods', {
      json: { number: card.number, expMonth: card.month, expYear: card.year, cvc: card.cvc },
      credentials: false,
    })
    .then((r) => {
      if (!r.ok) tokenized.delete(fp);
      return r;
    });
  tokenized.set(fp, { at: now, pm });
  return pm;
}
