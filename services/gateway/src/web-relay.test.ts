import { CLIENT_IP_HEADER, EDGE_TOKEN_HEADER, edgeToken } from '@storefront/kit';
import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIp } from './domain.ts';
import { startUpstream, testGateway } from './test-helpers.ts';

const SERVICE_TOKEN = 'service-token-for-the-web-relay-test';

/**
 * Web calls the API through the gateway on a shopper's behalf. With the edge token the gateway
 * treats the call as the shopper's (forwarded address, rate-limit bucket); without it, the relay
 * headers are ignored and never reach a service.
 */
describe('web relays a shopper address', () => {
  type Up = Awaited<ReturnType<typeof startUpstream>>;
  let api: Up;
  let web: Up;
  let gw: Awaited<ReturnType<typeof testGateway>>;
  let base: string;

  beforeAll(async () => {
    api = await startUpstream((app) =>
      app.all('*', (c) =>
        c.json({
          xff: c.req.header('x-forwarded-for') ?? null,
          relayIp: c.req.header(CLIENT_IP_HEADER) ?? null,
          relayToken: c.req.header(EDGE_TOKEN_HEADER) ?? null,
        }),
      ),
    );
    web = await startUpstream((app) =>
      app.get('*', (c) => c.json({ clientIp: c.req.header(CLIENT_IP_HEADER) ?? null })),
    );
    gw = await testGateway({
      urls: { catalog: api.url, web: web.url },
      env: {
        CACHE_ENABLED: 'false',
        ADMIN_TOKEN: SERVICE_TOKEN,
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMITS: JSON.stringify({ default: { rate: 0.001, burst: 2 } }),
      },
    });
    base = await gw.listen();
  });
  afterAll(async () => {
    await gw.close();
    await api.close();
    await web.close();
  });

  it("tells web the shopper's address and drops a client's own claim of it", async () => {
    const res = await fetch(`${base}/some/page`, { headers: { [CLIENT_IP_HEADER]: '6.6.6.6' } });
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).clientIp).toBe('127.0.0.1');
  });

  it('believes a relayed address only with the edge token, and never forwards the relay headers', async () => {
    const good = await fetch(`${base}/api/catalog/x`, {
      headers: { [CLIENT_IP_HEADER]: '203.0.113.7', [EDGE_TOKEN_HEADER]: edgeToken(SERVICE_TOKEN) },
    });
    expect(good.status).toBe(200);
    expect(await jsonOf(good)).toEqual({ xff: '203.0.113.7', relayIp: null, relayToken: null });

    const forged = await fetch(`${base}/api/catalog/x`, {
      headers: { [CLIENT_IP_HEADER]: '203.0.113.8', [EDGE_TOKEN_HEADER]: edgeToken('a-different-service-token') },
    });
    expect(forged.status).toBe(200);
    expect(await jsonOf(forged)).toEqual({ xff: '127.0.0.1', relayIp: null, relayToken: null });
  });

  it('counts relayed calls against the shopper: one shopper exhausted does not block another', async () => {
    const as = (ip: string) =>
      fetch(`${base}/api/catalog/y`, {
        headers: { [CLIENT_IP_HEADER]: ip, [EDGE_TOKEN_HEADER]: edgeToken(SERVICE_TOKEN) },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await as('198.51.100.1')).status);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses.at(-1)).toBe(429);
    expect((await as('198.51.100.2')).status).toBe(200);
  });

  it('takes only a bare address as a relayed value', () => {
    for (const ok of ['203.0.113.7', '2001:db8::1', '::ffff:10.0.0.1']) expect(isIp(ok), ok).toBe(true);
    for (const bad of ['not-an-ip', '1.2.3.4, 5.6.7.8', '', '1.2.3', 'x'.repeat(60)])
      expect(isIp(bad), bad).toBe(false);
  });
});
