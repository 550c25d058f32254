import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { problem, problemResponse } from './problem.ts';
import type { KitEnv } from './router.ts';

export interface InternalPathsOptions {
  /**
   * Who may read the internal paths without a token. `loopback-and-private`: peers on loopback,
   * RFC 1918/6598, link-local and IPv6 ULA addresses (Prometheus and kubelet inside the cluster).
   * `any`: everybody, as on a service that is not reachable from outside anyway.
   */
  readonly allowFrom: 'loopback-and-private' | 'any';
  /** `Authorization: Bearer <token>` opens them from anywhere (a scraper outside the cluster); ≥ 16 characters. */
  readonly token?: string | undefined;
  /**
   * Proxies in front of this server that append to X-Forwarded-For (the ingress). With n > 0 the
   * client is the n-th entry from the right; with 0 a request carrying any forwarding header is
   * treated as coming from outside, since a proxy we do not trust relayed it from who knows where.
   */
  readonly trustedHops?: number;
  /** Default `/metrics` and `/openapi.json`. */
  readonly paths?: readonly string[];
}

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('fe80::', 10, 'ipv6');

/** True for loopback and private-network addresses, IPv4-mapped IPv6 included; false for anything unparsable. */
export function isPrivateAddress(address: string | undefined): boolean {
  if (!address) return false;
  const bare = address
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  const ip = mapped ?? bare;
  const family = isIP(ip);
  if (family === 0) return false;
  return PRIVATE.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // In-memory `app.request()` has no socket: nobody to vouch for, so it counts as outside.
    return undefined;
  }
}

/** The address whose privacy decides, or undefined when it cannot be known. */
export function sourceAddress(
  peer: string | undefined,
  headers: { xff?: string | undefined; forwarded?: boolean },
  trustedHops: number,
): string | undefined {
  const hops = (headers.xff ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  if (trustedHops <= 0) return hops.length > 0 || headers.forwarded ? undefined : peer;
  if (hops.length === 0) return peer;
  return hops[hops.length - trustedHops] ?? hops[0];
}

const digest = (s: string) => createHash('sha256').update(s).digest();

const normalize = (path: string) =>
  path
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/(.)\/+$/, '$1');

/**
 * Keeps operational endpoints (`/metrics`, the service's own `/openapi.json`) off the public
 * internet on a server that is the public entry. A caller that is neither on a private network
 * nor holding the token gets the same 404 as an unknown route, so the paths do not advertise
 * themselves.
 */
export function internalOnly(opts: InternalPathsOptions): MiddlewareHandler<KitEnv> {
  if (opts.token !== undefined && opts.token.length < 16) {
    throw new Error('the internal paths token must be at least 16 characters');
  }
  const paths = new Set((opts.paths ?? ['/metrics', '/openapi.json']).map(normalize));
  const expected = opts.token ? digest(opts.token) : undefined;
  const hops = opts.trustedHops ?? 0;
  return async function internalOnlyMiddleware(c, next) {
    if (opts.allowFrom === 'any' || !paths.has(normalize(c.req.path))) return next();
    const source = sourceAddress(
      peerAddress(c),
      {
        xff: c.req.header('x-forwarded-for'),
        forwarded: c.req.header('forwarded') !== undefined || c.req.header('x-real-ip') !== undefined,
      },
      hops,
    );
    if (isPrivateAddress(source)) return next();
    const given = /^Bearer (\S+)$/i.exec(c.req.header('authorization')?.trim() ?? '')?.[1];
    // Hashes have equal lengths, so the comparison takes the same time whatever was sent.
    if (expected && given && timingSafeEqual(digest(given), expected)) return next();
    return problemResponse(c, problem(404, `no route for ${c.req.method} ${c.req.path}`));
  };
}
