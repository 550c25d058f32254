import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { tracingEnabled } from '@storefront/kit';
import type { Context } from 'hono';
import type { Dispatcher } from 'undici';
import { socketIp } from './client-key.ts';
import { splitUrl } from './domain.ts';
import type { GatewayEnv } from './gateway-env.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers.ts';
import type { Upstream } from './upstreams.ts';

export interface ForwardOptions {
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  readonly trustProxy: boolean;
  /** Bodies up to this many bytes (by Content-Length) are read whole: cheaper than a stream, and cacheable. */
  readonly bufferUpTo: number;
  readonly metrics?: GatewayMetrics;
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

/** Why there is no upstream answer, as the status the client gets. */
export interface ForwardFailure {
  readonly status: 502 | 503 | 504;
  readonly reason: 'refused' | 'unreachable' | 'timeout' | 'circuit-open' | 'bad-response' | 'aborted';
  readonly retryAfterMs?: number;
}

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);
// A reused keep-alive socket the upstream closed just as we wrote to it: safe to retry a read once.
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const NULL_BODY = new Set([101, 204, 205, 304]);

class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

function errorCode(err: unknown): string {
  const e = err as { code?: string; errors?: { code?: string }[]; cause?: { code?: string } };
  return e.code ?? e.errors?.[0]?.code ?? e.cause?.code ?? '';
}

function classify(err: unknown): ForwardFailure & { transport: boolean } {
  const code = errorCode(err);
  if (code === 'ECONNREFUSED') return { status: 502, reason: 'refused', transport: true };
  if (TIMEOUTS.has(code)) return { status: 504, reason: 'timeout', transport: true };
  if (UNREACHABLE.has(code) || code === 'UND_ERR_SOCKET')
    return { status: 502, reason: 'unreachable', transport: true };
  if (code === 'UND_ERR_ABORTED' || (err as Error).name === 'AbortError') {
    return { status: 502, reason: 'aborted', transport: false };
  }
  return { status: 502, reason: 'bad-response', transport: false };
}

/**
 * Sends this request to `upstream` at `path` (plus the client's query) over the pooled keep-alive
 * connections and returns the upstream's answer as a Response, or why there is none. Never
 * throws and never waits longer than the route class's timeout for the answer to start.
 */
export async function forward(
  c: Context<GatewayEnv>,
  upstream: Upstream,
  path: string,
  opts: ForwardOptions,
): Promise<Response | ForwardFailure> {
  if (!upstream.circuit.allow()) {
    opts.metrics?.circuitOpen.inc({ service: upstream.name });
    return { status: 503, reason: 'circuit-open', retryAfterMs: upstream.circuit.retryInMs() };
  }
  const method = c.req.method;
  const { search } = splitUrl(c.req.url);
  const headers = upstreamRequestHeaders(c.req.raw.headers, {
    // A call web relayed for a shopper goes upstream as coming from the shopper.
    socketIp: c.get('relayedClientIp') ?? socketIp(c) ?? '127.0.0.1',
    proto: c.req.url.startsWith('https:') ? 'https' : 'http',
    host: c.req.header('host') ?? new URL(c.req.url).host,
    requestId: c.get('requestId'),
    trustProxy: opts.trustProxy && !c.get('relayedClientIp'),
    tracing: tracingEnabled(),
    extra: { ...opts.extraHeaders, ...c.get('upstreamHeaders') },
  });
  const body = method === 'GET' || method === 'HEAD' ? null : c.req.raw.body;
  // One deadline for getting an answer, waiting for a pooled connection included (undici's own
  // headersTimeout starts only once the request is on a socket). A client that leaves cancels too.
  const client = c.req.raw.signal;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlineExceeded()), opts.timeoutMs);
  const onClientGone = () => deadline.abort(client.reason);
  client.addEventListener('abort', onClientGone, { once: true });
  const request: Dispatcher.RequestOptions = {
    origin: upstream.origin,
    path: `${upstream.basePath}${path}${search}`,
    method: method as Dispatcher.HttpMethod,
    headers,
    body: body ? Readable.fromWeb(body as WebReadableStream) : null,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    signal: deadline.signal,
  };
  const end = opts.metrics?.upstreamDuration.startTimer({ service: upstream.name });
  let status = 0;
  try {
    let res: Dispatcher.ResponseData;
    try {
      res = await opts.dispatcher.request(request);
    } catch (err) {
      if (body || !STALE_SOCKET.has(errorCode(err)) || deadline.signal.aborted) throw err;
      res = await opts.dispatcher.request(request);
    }
    upstream.circuit.success();
    status = res.statusCode;
    if (status < 200 || status > 599) {
      res.body.destroy();
      return { status: 502, reason: 'bad-response' };
    }
    const out = clientResponseHeaders(res.headers);
    if (method === 'HEAD' || NULL_BODY.has(status)) {
      await res.body.dump();
      return new Response(null, { status, headers: out });
    }
    const length = Number(res.headers['content-length'] ?? Number.NaN);
    if (Number.isInteger(length) && length <= opts.bufferUpTo) {
      const bytes = new Uint8Array(await res.body.arrayBuffer());
      c.set('upstreamBody', bytes);
      return new Response(bytes, { status, headers: out });
    }
    // Streaming from here on: the answer has started, so the deadline no longer applies (the
    // idle bodyTimeout still does), and a client that leaves cancels the stream itself.
    clearTimeout(timer);
    return new Response(Readable.toWeb(res.body) as ReadableStream<Uint8Array>, { status, headers: out });
  } catch (err) {
    const failure =
      deadline.signal.reason instanceof DeadlineExceeded
        ? ({ status: 504, reason: 'timeout', transport: true } as const)
        : classify(err);
    // Only transport failures say the upstream is unwell; anything else must still end a trial.
    if (failure.transport) upstream.circuit.failure();
    else upstream.circuit.success();
    status = failure.status;
    c.get('log')?.warn({ err, upstream: upstream.name, reason: failure.reason }, 'upstream failed');
    return { status: failure.status, reason: failure.reason };
  } finally {
    clearTimeout(timer);
    client.removeEventListener('abort', onClientGone);
    end?.({ status: String(status) });
  }
}

export function isFailure(r: Response | ForwardFailure): r is ForwardFailure {
  return 'reason' in r;
}
