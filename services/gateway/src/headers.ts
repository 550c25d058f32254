/**
 * Which headers cross the gateway, in each direction. Hop-by-hop headers describe one connection
 * and never travel on (RFC 9110 §7.6.1); forwarding headers from the client are believed only
 * when a proxy we trust wrote them.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  // undici refuses Expect: 100-continue, and the gateway has already accepted the body anyway.
  'expect',
  'http2-settings',
]);

// Forwarding claims and values only the gateway may set.
const CLIENT_MUST_NOT_SET = new Set([
  'forwarded',
  'x-real-ip',
  'x-csp-nonce',
  'x-forwarded-port',
  // gateway ⇄ web only (web-relay.ts)
  'x-sf-client-ip',
  'x-sf-edge-token',
]);
const FORWARDING = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host']);
const TRACE = new Set(['traceparent', 'tracestate']);

function connectionTokens(value: string | null | undefined): Set<string> {
  if (!value) return new Set();
  return new Set(
    value
      .toLowerCase()
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  );
}

export interface ForwardContext {
  /** The address of the peer that opened the socket to us. */
  readonly socketIp: string;
  readonly proto: 'http' | 'https';
  /** The Host the client addressed. */
  readonly host: string;
  readonly requestId: string;
  /** Whether X-Forwarded-* from the peer are ours (TRUST_PROXY > 0). */
  readonly trustProxy: boolean;
  /** When the gateway's tracing is on, the undici instrumentation writes a child traceparent itself. */
  readonly tracing: boolean;
  /** Extra values the gateway adds (the CSP nonce for web, a forced accept-encoding for cached reads). */
  readonly extra?: Readonly<Record<string, string>>;
}

export function upstreamRequestHeaders(incoming: Headers, ctx: ForwardContext): Record<string, string> {
  const out: Record<string, string> = {};
  const dropped = connectionTokens(incoming.get('connection'));
  incoming.forEach((value, key) => {
    if (HOP_BY_HOP.has(key) || dropped.has(key) || CLIENT_MUST_NOT_SET.has(key)) return;
    if (FORWARDING.has(key) || key === 'x-request-id') return;
    if (TRACE.has(key) && ctx.tracing) return;
    out[key] = value;
  });
  const priorFor = ctx.trustProxy ? incoming.get('x-forwarded-for') : null;
  out['x-forwarded-for'] = priorFor ? `${priorFor}, ${ctx.socketIp}` : ctx.socketIp;
  const priorProto = ctx.trustProxy ? incoming.get('x-forwarded-proto') : null;
  out['x-forwarded-proto'] = priorProto === 'https' || priorProto === 'http' ? priorProto : ctx.proto;
  const priorHost = ctx.trustProxy ? incoming.get('x-forwarded-host') : null;
  out['x-forwarded-host'] = priorHost || ctx.host;
  out['x-request-id'] = ctx.requestId;
  if (ctx.extra) Object.assign(out, ctx.extra);
  return out;
}

/** An upstream's response headers as the client should see them. */
export function clientResponseHeaders(upstream: Record<string, string | string[] | undefined>): Headers {
  const out = new Headers();
  const connection = upstream.connection;
  const dropped = connectionTokens(Array.isArray(connection) ? connection.join(',') : connection);
  for (const [key, value] of Object.entries(upstream)) {
    const k = key.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(k) || dropped.has(k)) continue;
    try {
      if (Array.isArray(value)) for (const v of value) out.append(k, v);
      else out.set(k, value);
    } catch {
      // A value the Fetch Headers type refuses (control characters): dropping it beats failing the answer.
    }
  }
  return out;
}
