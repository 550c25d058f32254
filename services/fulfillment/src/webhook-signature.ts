import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The dev carrier's webhook signature, in the shape real carriers (and Stripe) use:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. The timestamp is inside the MAC,
 * so a captured request cannot be replayed later with a fresh time, and the tolerance bounds how
 * long a captured one stays usable at all.
 */
export const SIGNATURE_HEADER = 'devcarrier-signature';
export const TOLERANCE_SECONDS = 5 * 60;

export function signature(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/** Checks a header against the raw body; several `v1` entries are allowed while a secret rotates. */
export function verifySignature(
  secrets: readonly string[],
  body: string,
  header: string | undefined,
  now: Date,
  toleranceSeconds = TOLERANCE_SECONDS,
): Verdict {
  if (!header) return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  if (header.length > 1024) return { ok: false, reason: 'malformed signature header' };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return { ok: false, reason: 'malformed signature header' };
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) {
    return { ok: false, reason: 'signature timestamp outside the tolerance' };
  }
  for (const secret of secrets) {
    const expected = Buffer.from(mac(secret, timestamp, body), 'hex');
    if (candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected))) return { ok: true };
  }
  return { ok: false, reason: 'signature does not match' };
}

function mac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}
