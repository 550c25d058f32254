import type { Context } from 'hono';

/** Who is on the other end of a request, for rate limits, sessions and the audit log. */
export interface RequestMeta {
  readonly ip: string;
  readonly userAgent: string | null;
  readonly requestId: string | undefined;
}

function socketIp(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

const IP = /^[0-9a-f:.]{2,45}$/i;

/**
 * The client address: X-Forwarded-For is believed for exactly the proxies we run (the gateway
 * appends the address it saw), so a client cannot pick its own rate-limit bucket.
 */
export function clientIp(c: Context, trustedHops: number): string {
  const direct = socketIp(c)?.replace(/^::ffff:/, '') ?? 'unknown';
  const xff = c.req.header('x-forwarded-for');
  if (trustedHops <= 0 || !xff) return direct;
  const hops = xff
    .split(',')
    .map((s) => s.trim())
    .filter((s) => IP.test(s));
  return hops[hops.length - trustedHops] ?? hops[0] ?? direct;
}

export function requestMeta(c: Context, trustedHops: number): RequestMeta {
  return {
    ip: clientIp(c, trustedHops),
    userAgent: c.req.header('user-agent')?.slice(0, 256) ?? null,
    requestId: c.get('requestId' as never) as string | undefined,
  };
}
