import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, type ForwardContext, upstreamRequestHeaders } from './headers.ts';

const ctx: ForwardContext = {
  socketIp: '10.1.2.3',
  proto: 'http',
  host: 'shop.example',
  requestId: 'rid-1',
  trustProxy: false,
  tracing: false,
};

describe('upstreamRequestHeaders', () => {
  it('drops hop-by-hop headers and those the Connection header names', () => {
    const out = upstreamRequestHeaders(
      new Headers({
        connection: 'keep-alive, X-Private',
        'keep-alive': 'timeout=5',
        'x-private': 'secret',
        te: 'trailers',
        upgrade: 'websocket',
        expect: '100-continue',
        'proxy-authorization': 'Basic abc',
        host: 'shop.example',
        accept: 'application/json',
        authorization: 'Bearer t',
      }),
      ctx,
    );
    expect(Object.keys(out).sort()).toEqual(
      ['accept', 'authorization', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-request-id'].sort(),
    );
  });

  it('replaces forwarding claims from an untrusted client with what the gateway saw', () => {
    const out = upstreamRequestHeaders(
      new Headers({
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
        'x-real-ip': '6.6.6.6',
        forwarded: 'for=6.6.6.6',
        'x-request-id': 'client-chosen',
      }),
      ctx,
    );
    expect(out).toMatchObject({
      'x-forwarded-for': '10.1.2.3',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.example',
      'x-request-id': 'rid-1',
    });
    expect(out['x-real-ip']).toBeUndefined();
    expect(out.forwarded).toBeUndefined();
  });

  it('extends the chain written by a trusted proxy', () => {
    const out = upstreamRequestHeaders(
      new Headers({ 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example' }),
      { ...ctx, trustProxy: true, host: 'gateway:8080' },
    );
    expect(out).toMatchObject({
      'x-forwarded-for': '1.2.3.4, 10.1.2.3',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'shop.example',
    });
  });

  it('passes trace context through unless the gateway traces (then its own child span is sent)', () => {
    const h = new Headers({ traceparent: '00-abc-def-01', tracestate: 'k=v' });
    expect(upstreamRequestHeaders(h, ctx)).toMatchObject({ traceparent: '00-abc-def-01', tracestate: 'k=v' });
    expect(upstreamRequestHeaders(h, { ...ctx, tracing: true }).traceparent).toBeUndefined();
  });

  it('adds the gateway extras last', () => {
    const out = upstreamRequestHeaders(new Headers({ 'accept-encoding': 'gzip' }), {
      ...ctx,
      extra: { 'accept-encoding': 'identity', 'x-csp-nonce': 'n' },
    });
    expect(out).toMatchObject({ 'accept-encoding': 'identity', 'x-csp-nonce': 'n' });
  });
});

describe('clientResponseHeaders', () => {
  it('keeps repeated values and drops hop-by-hop ones', () => {
    const out = clientResponseHeaders({
      'set-cookie': ['a=1', 'b=2'],
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
      connection: 'close, x-internal',
      'x-internal': 'hidden',
      'keep-alive': 'timeout=5',
    });
    expect(out.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect([...new Set(out.keys())].sort()).toEqual(['content-type', 'set-cookie']);
  });
});
