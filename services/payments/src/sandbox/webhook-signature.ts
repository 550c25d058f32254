import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The sandbox signs its webhook callbacks the way Stripe does: `t=<unix seconds>,v1=<hex HMAC-SHA256
 * of "<t>.<raw body>">`, so our receiving code checks a signature over the raw body and a
 * timestamp window exactly as it must for Stripe.
 */
export const SANDBOX_SIGNATURE_HEADER = 'sandbox-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signPayload(body: string, secret: string, atSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${atSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${atSeconds},v1=${mac}`;
}

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function verifySignature(
  body: string,
  header: string | undefined,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'no signature header' };
  const parts = new Map<string, string[]>();
  for (const item of header.split(',').slice(0, 10)) {
    const at = item.indexOf('=');
    if (at <= 0) continue;
    const k = item.slice(0, at).trim();
    parts.set(k, [...(parts.get(k) ?? []), item.slice(at + 1).trim()]);
  }
  const t = parts.get('t')?.[0];
  if (!t || !/^[0-9]{1,12}$/.test(t)) return { ok: false, reason: 'no timestamp in the signature header' };
  if (Math.abs(nowSeconds - Number(t)) > toleranceSeconds)
    return { ok: false, reason: 'timestamp outside the tolerance' };
  const expected = Buffer.from(signPayload(body, secret, Number(t)).split('v1=')[1] ?? '', 'hex');
  const matches = (parts.get('v1') ?? []).some((v) => {
    const given = Buffer.from(/^[0-9a-f]{64}$/.test(v) ? v : '', 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true } : { ok: false, reason: 'no signature matches the payload' };
}
