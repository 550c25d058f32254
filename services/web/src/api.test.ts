import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from './api.ts';
import type { WebEnv } from './env.ts';

/** The client never sends a shopper's cookies anywhere but the gateway's /api. */
describe('ApiClient', () => {
  const seen: string[] = [];
  const api = new ApiClient({
    baseUrl: 'http://gateway.test',
    timeoutMs: 1_000,
    fetch: async (url) => {
      seen.push(String(url));
      return new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } });
    },
  });
  const app = new Hono<WebEnv>();
  app.get('/probe', async (c) => {
    const path = c.req.query('path') ?? '';
    try {
      await api.must(c, 'GET', path);
      return c.text('called');
    } catch (err) {
      return c.text(err instanceof ApiError ? `refused ${err.problem.status}` : 'other');
    }
  });

  it.each([
    ['//evil.example/api/x'],
    ['https://evil.example/api/x'],
    ['/api/catalog/../../admin'],
    ['/admin/products'],
    ['/api/catalog/products/%2e%2e/%2e%2e/%2e%2e/x'],
  ])('refuses %s', async (path) => {
    const res = await app.request(`/probe?path=${encodeURIComponent(path)}`, {
      headers: { cookie: 'sf_at=secret-token' },
    });
    expect(await res.text()).toBe('refused 404');
  });

  it('calls a path under /api on the gateway', async () => {
    const res = await app.request(`/probe?path=${encodeURIComponent('/api/catalog/products/abc')}`);
    expect(await res.text()).toBe('called');
    expect(seen.at(-1)).toBe('http://gateway.test/api/catalog/products/abc');
  });
});
