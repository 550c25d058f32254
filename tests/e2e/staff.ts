import { createHmac } from 'node:crypto';

/** RFC 6238 code for a base32 secret, as an authenticator app would show it. */
export function totp(secretBase32: string, nowMs = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const ch of secretBase32.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(nowMs / 30_000)));
  const mac = createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/**
 * A staff access token the way a new admin gets one through the gateway: password sign-in, TOTP
 * enrolment on first sign-in (computing codes like an authenticator app), and the MFA step after.
 */
export async function staffSignIn(gatewayUrl: string, email: string, password: string): Promise<string> {
  const api = `${gatewayUrl}/api/identity`;
  const first = await post(`${api}/login`, { email, password });
  if (first.status === 'ok' && typeof first.accessToken === 'string') return first.accessToken;
  const challenge = String(first.challenge);
  if (first.status === 'mfa_enrolment_required') {
    const { secret } = (await post(`${api}/mfa/enrol/start`, { challenge })) as { secret: string };
    const done = await post(`${api}/mfa/enrol/confirm`, { challenge, code: totp(secret) });
    return String(done.accessToken);
  }
  throw new Error('this admin already enrolled MFA elsewhere; the test needs a fresh platform');
}
