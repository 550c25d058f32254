import { describe, expect, it } from 'vitest';
import { buildApp, serve } from '../serve.ts';
import { silentLog } from '../testing/index.ts';
import { type InternalPathsOptions, isPrivateAddress, sourceAddress } from './internal-only.ts';
import { createRouter } from './router.ts';

const TOKEN = 'metrics-token-0123456789';

function app(opts: InternalPathsOptions) {
  const service = createRouter();
  service.get('/hello', (c) => c.json({ hello: 'world' }));
  return buildApp(service, { service: 'edge', log: silentLog(), internalPaths: opts }).app;
}

/** What @hono/node-server hands a request as its env: the socket, whose peer address getConnInfo reads. */
const fromPeer = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['169.254.1.1', true],
    ['::1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['fd12:3456::1', true],
    ['fe80::1%eth0', true],
    ['8.8.8.8', false],
    ['2001:db8::1', false],
    ['', false],
    ['not-an-ip', false],
    ['10.0.0.1.evil.example', false],
    [undefined, false],
  ])('%s → %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });
});

describe('sourceAddress', () => {
  it.each([
    // [peer, xff, other forwarding header, trusted hops, expected]
    ['10.0.0.5', undefined, false, 0, '10.0.0.5'],
    // Nobody trusted, yet a proxy relayed it: the origin is unknown.
    ['10.0.0.5', '203.0.113.9', false, 0, undefined],
    ['10.0.0.5', undefined, true, 0, undefined],
    // The ingress appended the client; whatever the client wrote further left is ignored.
    ['10.0.0.5', '10.9.9.9, 203.0.113.9', false, 1, '203.0.113.9'],
    ['10.0.0.5', '203.0.113.9, 10.2.0.1', false, 2, '203.0.113.9'],
    ['10.0.0.5', '10.2.0.1', false, 2, '10.2.0.1'],
    // Straight from a pod, past the ingress.
    ['10.0.0.5', undefined, false, 1, '10.0.0.5'],
  ] as const)('peer %s, xff %s, forwarded %s, hops %i → %s', (peer, xff, forwarded, hops, expected) => {
    expect(sourceAddress(peer, { xff, forwarded }, hops)).toBe(expected);
  });
});

describe('internalOnly', () => {
  it('hides /metrics and /openapi.json from outsiders with the unknown-route 404, and serves everything else', async () => {
    const a = app({ allowFrom: 'loopback-and-private' });
    for (const path of ['/metrics', '/openapi.json', '/METRICS', '/metrics/', '/%6detrics']) {
      const res = await a.request(path, {}, fromPeer('203.0.113.7'));
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await a.request('/hello', {}, fromPeer('203.0.113.7'))).status).toBe(200);
    expect((await a.request('/healthz', {}, fromPeer('203.0.113.7'))).status).toBe(200);
    // In memory there is no peer at all: outside.
    expect((await a.request('/metrics')).status).toBe(404);
  });

  it('serves them to loopback and private peers', async () => {
    const a = app({ allowFrom: 'loopback-and-private' });
    for (const peer of ['127.0.0.1', '::1', '10.244.1.7', '::ffff:192.168.0.4']) {
      const res = await a.request('/metrics', {}, fromPeer(peer));
      expect(res.status, peer).toBe(200);
      expect(await res.text()).toContain('http_server_requests_in_flight');
    }
  });

  it('believes X-Forwarded-For only for trusted hops', async () => {
    const untrusted = app({ allowFrom: 'loopback-and-private' });
    // A private peer relaying for someone (an ingress we were not told about) is not enough.
    const relayed = { headers: { 'x-forwarded-for': '10.0.0.9' } };
    expect((await untrusted.request('/metrics', relayed, fromPeer('10.0.0.2'))).status).toBe(404);

    const trusted = app({ allowFrom: 'loopback-and-private', trustedHops: 1 });
    const outside = { headers: { 'x-forwarded-for': '10.0.0.9, 198.51.100.4' } };
    expect((await trusted.request('/metrics', outside, fromPeer('10.0.0.2'))).status).toBe(404);
    const inside = { headers: { 'x-forwarded-for': '198.51.100.4, 10.1.0.3' } };
    expect((await trusted.request('/metrics', inside, fromPeer('10.0.0.2'))).status).toBe(200);
  });

  it('opens them from anywhere with the bearer token, and only with the right one', async () => {
    const a = app({ allowFrom: 'loopback-and-private', token: TOKEN });
    const peer = fromPeer('203.0.113.7');
    const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
    expect((await a.request('/metrics', bearer(TOKEN), peer)).status).toBe(200);
    expect((await a.request('/metrics', bearer(`${TOKEN}x`), peer)).status).toBe(404);
    expect((await a.request('/metrics', bearer('short'), peer)).status).toBe(404);
    expect((await a.request('/metrics', { headers: { authorization: TOKEN } }, peer)).status).toBe(404);
  });

  it('changes nothing with allowFrom any, and refuses a short token at build time', async () => {
    expect((await app({ allowFrom: 'any' }).request('/metrics')).status).toBe(200);
    expect(() => app({ allowFrom: 'loopback-and-private', token: 'short' })).toThrow(/16 characters/);
  });

  it('reads the real peer address on a socket', async () => {
    const service = createRouter();
    const running = await serve(service, {
      service: 'edge',
      port: 0,
      host: '127.0.0.1',
      log: silentLog(),
      handleSignals: false,
      shutdownGraceMs: 0,
      internalPaths: { allowFrom: 'loopback-and-private' },
    });
    try {
      expect((await fetch(`${running.url}/metrics`)).status).toBe(200);
      // Same loopback peer, but relayed by a proxy that is not trusted.
      const relayed = await fetch(`${running.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(relayed.status).toBe(404);
    } finally {
      await running.close();
    }
  });
});
