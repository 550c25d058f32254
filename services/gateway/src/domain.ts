/**
 * The gateway's decisions as pure functions: which upstream a path belongs to, which class a
 * request is in, who the client is, and what a cache entry is keyed on. No I/O, no clock.
 */

export type RouteClass = 'read' | 'write' | 'auth';
export type PerClass<T> = { readonly default: T } & { readonly [K in RouteClass]?: T | undefined };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

export function routeClass(method: string, service: string | undefined): RouteClass {
  if (SAFE_METHODS.has(method)) return 'read';
  // Writes to identity are logins, sign-ups and token refreshes: the password-guessing surface.
  return service === 'identity' ? 'auth' : 'write';
}

export function forClass<T>(table: PerClass<T>, cls: RouteClass): T {
  return table[cls] ?? table.default;
}

/** The path and query exactly as the client sent them (the URL parser has already resolved dot segments). */
export function splitUrl(url: string): { path: string; search: string } {
  const scheme = url.indexOf('://');
  const start = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
  if (start < 0) return { path: '/', search: '' };
  const q = url.indexOf('?', start);
  const end = url.indexOf('#', start);
  const stop = end < 0 ? url.length : end;
  if (q < 0 || q > stop) return { path: url.slice(start, stop), search: '' };
  return { path: url.slice(start, q), search: url.slice(q, stop) };
}

/** `/api/catalog/products/1` → `{ service: 'catalog', rest: '/products/1' }`; undefined for a malformed name. */
export function parseApiPath(path: string): { service: string; rest: string } | undefined {
  if (!path.startsWith('/api/')) return undefined;
  const slash = path.indexOf('/', 5);
  const service = slash < 0 ? path.slice(5) : path.slice(5, slash);
  if (!SERVICE_NAME.test(service)) return undefined;
  return { service, rest: slash < 0 ? '/' : path.slice(slash) };
}

/** Joins an upstream's base path (from its URL) with the forwarded path. */
export function joinPath(base: string, rest: string): string {
  if (!base || base === '/') return rest;
  return `${base.replace(/\/+$/, '')}${rest}`;
}

/**
 * The client's address. X-Forwarded-For is believed only for the hops we run ourselves: with
 * `trustedHops` proxies in front, the real client is that many entries from the right, because
 * everything further left was written by the client and can say anything.
 */
export function clientIp(socketIp: string | undefined, xff: string | undefined, trustedHops: number): string {
  const direct = normalizeIp(socketIp ?? '') || 'unknown';
  if (trustedHops <= 0 || !xff) return direct;
  const hops = xff
    .split(',')
    .map((s) => normalizeIp(s.trim()))
    .filter(Boolean);
  return hops[hops.length - trustedHops] ?? hops[0] ?? direct;
}

/** A bare IPv4 or IPv6 address (what a relayed client address must look like). */
export function isIp(ip: string): boolean {
  return ip.length <= 45 && normalizeIp(ip) !== '' && (/^\d+\.\d+\.\d+\.\d+$/.test(ip) || ip.includes(':'));
}

function normalizeIp(ip: string): string {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4mapped?.[1]) return v4mapped[1];
  return /^[0-9a-f:.]{2,45}$/i.test(ip) ? ip.toLowerCase() : '';
}

/**
 * The rate-limit identity of an address: IPv4 as is, IPv6 by its /64, since one subscriber is
 * usually handed a whole /64 and could otherwise rotate through 2^64 buckets.
 */
export function ipBucket(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * A response cache key: method, path, query with parameters sorted by name (values keep their
 * order, since `a=1&a=2` and `a=2&a=1` may differ), and the request headers that change the answer.
 */
export function cacheKeyParts(req: {
  method: string;
  path: string;
  search: string;
  acceptLanguage?: string | undefined;
  currency?: string | undefined;
}): string {
  const params = [...new URLSearchParams(req.search)];
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  return [req.method, req.path, query, req.acceptLanguage ?? '', req.currency ?? ''].join('\n');
}

/**
 * Only anonymous, public catalog reads are shared between clients: nothing that carries a
 * credential (a bearer token, a session cookie, the staff admin token) and nothing under a staff
 * path, whose answers may hold drafts or prices not yet live.
 */
export function isCacheableRequest(req: {
  method: string;
  path: string;
  authorization?: string | undefined;
  cookie?: string | undefined;
  adminToken?: string | undefined;
  cacheControl?: string | undefined;
}): boolean {
  if (req.method !== 'GET' || !req.path.startsWith('/api/catalog/')) return false;
  if (req.authorization || req.cookie || req.adminToken) return false;
  if (/\/admin(\/|$)/i.test(req.path)) return false;
  return !/\bno-store\b/i.test(req.cacheControl ?? '');
}

export function isCacheableResponse(
  res: {
    status: number;
    contentType?: string | null;
    contentLength?: string | null;
    contentEncoding?: string | null;
    cacheControl?: string | null;
    setCookie?: boolean;
  },
  maxBytes: number,
): boolean {
  if (res.status !== 200 || res.setCookie) return false;
  // Stored bytes are replayed to every client, whatever encodings they accept.
  if (res.contentEncoding && res.contentEncoding !== 'identity') return false;
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(res.contentType ?? '')) return false;
  if (/\b(no-store|private|no-cache)\b/i.test(res.cacheControl ?? '')) return false;
  const length = Number(res.contentLength ?? Number.NaN);
  return Number.isInteger(length) && length >= 0 && length <= maxBytes;
}

/** RateLimit-* header values (IETF draft): what the client may still send, and when the bucket is full. */
export function rateLimitHeaders(
  d: { remaining: number; retryAfterMs: number },
  limit: { rate: number; burst: number },
) {
  const remaining = Math.max(0, Math.floor(d.remaining));
  const headers: Record<string, string> = {
    'ratelimit-limit': String(limit.burst),
    'ratelimit-remaining': String(remaining),
    'ratelimit-reset': String(Math.ceil((limit.burst - d.remaining) / limit.rate)),
  };
  if (d.retryAfterMs > 0) headers['retry-after'] = String(Math.max(1, Math.ceil(d.retryAfterMs / 1000)));
  return headers;
}
