import { afterEach, describe, expect, it } from 'vitest';
import { testGateway } from './test-helpers.ts';

/**
 * The gateway is the one server the internet reaches, so its own /metrics and /openapi.json (the
 * kit's) are for the private network or a scraper holding METRICS_TOKEN. Over a real socket,
 * since the decision is about the peer address.
 */
type Gateway = Awaited<ReturnType<typeof testGateway>>;
let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const TOKEN = 'scrape-token-0123456789';
const from = (ip: string, extra: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': ip, ...extra } });

describe('internal paths on the gateway', () => {
  it('serves /metrics to the private network and hides it from the internet behind the ingress', async () => {
    gw = await testGateway({ env: { TRUST_PROXY: 'true', METRICS_TOKEN: TOKEN } });
    const base = await gw.listen();
    // Straight from a pod (loopback here), past the ingress.
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    // Through the ingress from inside the cluster.
    expect((await fetch(`${base}/metrics`, from('10.12.0.7'))).status).toBe(200);
    // Through the ingress from the internet: the same 404 as any unknown route.
    const outside = await fetch(`${base}/metrics`, from('203.0.113.9'));
    expect(outside.status).toBe(404);
    expect(outside.headers.get('content-type')).toBe('application/problem+json');
    expect((await fetch(`${base}/openapi.json`, from('203.0.113.9'))).status).toBe(404);
    // A client cannot claim to be inside: only the hop the ingress appended counts.
    expect((await fetch(`${base}/metrics`, from('10.0.0.1, 203.0.113.9'))).status).toBe(404);
    // A scraper outside the private network brings the token.
    const scraper = await fetch(`${base}/metrics`, from('203.0.113.9', { authorization: `Bearer ${TOKEN}` }));
    expect(scraper.status).toBe(200);
    expect(await scraper.text()).toContain('http_server_requests_in_flight');
    // What the public is meant to see stays open.
    expect((await fetch(`${base}/healthz`, from('203.0.113.9'))).status).toBe(200);
    expect((await fetch(`${base}/api/openapi.json`, from('203.0.113.9'))).status).toBe(200);
  });

  it('treats a relayed request as outside when no proxy is trusted', async () => {
    gw = await testGateway();
    const base = await gw.listen();
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`, from('10.0.0.1'))).status).toBe(404);
  });

  it('can be opened to anyone where the gateway is not public', async () => {
    gw = await testGateway({ env: { METRICS_ALLOW: 'any' } });
    expect((await gw.request('/metrics', from('203.0.113.9'))).status).toBe(200);
  });
});
