import { CLIENT_IP_HEADER, problem, problemResponse } from '@storefront/kit';
import type { Context, Handler } from 'hono';
import { socketIp } from './client-key.ts';
import { clientIp, forClass, type PerClass, parseApiPath, routeClass, splitUrl } from './domain.ts';
import { type ForwardFailure, forward, isFailure } from './forward.ts';
import type { GatewayEnv } from './gateway-env.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { landingPage, shopUnavailablePage } from './landing.ts';
import type { Upstreams } from './upstreams.ts';

export interface ProxyOptions {
  readonly upstreams: Upstreams;
  readonly timeouts: PerClass<number>;
  readonly trustProxy: boolean;
  /** TRUST_PROXY as a hop count, to tell web the shopper's address. */
  readonly trustedHops?: number;
  readonly bufferUpTo: number;
  readonly metrics?: GatewayMetrics;
}

function failureResponse(c: Context<GatewayEnv>, f: ForwardFailure, service: string, timeoutMs: number): Response {
  const detail: Record<ForwardFailure['reason'], string> = {
    refused: `${service} refused the connection`,
    unreachable: `${service} could not be reached`,
    timeout: `${service} did not answer within ${timeoutMs} ms`,
    'circuit-open': `${service} is failing; the gateway is not sending it requests for a few seconds`,
    'bad-response': `${service} sent an answer the gateway could not pass on`,
    aborted: 'the request was cancelled',
  };
  const retry: Record<string, string> = {};
  if (f.retryAfterMs !== undefined) retry['retry-after'] = String(Math.max(1, Math.ceil(f.retryAfterMs / 1000)));
  return problemResponse(c, problem(f.status, detail[f.reason], { upstream: service }), retry);
}

/** `/api/<service>/<rest>` → `<service's URL>/<rest>`, with the query unchanged. */
export function apiProxy(opts: ProxyOptions): Handler<GatewayEnv> {
  return async function apiProxyHandler(c) {
    const target = parseApiPath(splitUrl(c.req.url).path);
    // web is an upstream too, but only for non-/api paths.
    const upstream = target && target.service !== 'web' ? opts.upstreams.get(target.service) : undefined;
    if (!target || !upstream) {
      return problemResponse(c, problem(404, `no service is routed at ${c.req.path.split('/', 3).join('/')}`));
    }
    if (upstream === 'disabled') {
      return problemResponse(c, problem(503, `${target.service} is switched off in this installation`));
    }
    const timeoutMs = forClass(opts.timeouts, routeClass(c.req.method, target.service));
    const res = await forward(c, upstream, target.rest, {
      dispatcher: opts.upstreams.dispatcher,
      timeoutMs,
      trustProxy: opts.trustProxy,
      bufferUpTo: opts.bufferUpTo,
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
    });
    return isFailure(res) ? failureResponse(c, res, target.service, timeoutMs) : res;
  };
}

/**
 * Everything that is not /api goes to the web service. Until web exists (or while it is down)
 * `/` is a small built-in page pointing at the API, so a fresh `npm start` shows something.
 */
export function webProxy(opts: ProxyOptions): Handler<GatewayEnv> {
  return async function webProxyHandler(c) {
    const upstream = opts.upstreams.get('web');
    const timeoutMs = forClass(opts.timeouts, routeClass(c.req.method, 'web'));
    const res =
      upstream && upstream !== 'disabled'
        ? await forward(c, upstream, splitUrl(c.req.url).path, {
            dispatcher: opts.upstreams.dispatcher,
            timeoutMs,
            trustProxy: opts.trustProxy,
            bufferUpTo: opts.bufferUpTo,
            extraHeaders: {
              'x-csp-nonce': c.get('cspNonce'),
              [CLIENT_IP_HEADER]: clientIp(socketIp(c), c.req.header('x-forwarded-for'), opts.trustedHops ?? 0),
            },
            ...(opts.metrics ? { metrics: opts.metrics } : {}),
          })
        : ({ status: 502, reason: 'refused' } as const);
    if (!isFailure(res)) return res;
    if (c.req.path === '/' && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
      return c.html(landingPage(c.get('cspNonce')), 200, { 'cache-control': 'no-store' });
    }
    // A browser asking for a page gets a page; anything else keeps the problem document.
    if ((c.req.header('accept') ?? '').includes('text/html')) {
      const problemRes = failureResponse(c, res, 'web', timeoutMs);
      const headers: Record<string, string> = { 'cache-control': 'no-store' };
      const retry = problemRes.headers.get('retry-after');
      if (retry) headers['retry-after'] = retry;
      return c.html(shopUnavailablePage(c.get('cspNonce')), problemRes.status as 502 | 503 | 504, headers);
    }
    return failureResponse(c, res, 'web', timeoutMs);
  };
}
