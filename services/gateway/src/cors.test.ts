import { describe, expect, it } from 'vitest';
import { testGateway } from './test-helpers.ts';

describe('CORS', () => {
  it('adds no CORS headers unless origins are configured', async () => {
    const gw = await testGateway({ redis: null });
    try {
      const res = await gw.request('/api', { headers: { origin: 'https://evil.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await gw.close();
    }
  });

  it('allows exactly the configured origins, preflight included', async () => {
    const gw = await testGateway({ redis: null, env: { CORS_ORIGINS: 'https://admin.shop.example' } });
    try {
      const ok = await gw.request('/api', { headers: { origin: 'https://admin.shop.example' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://admin.shop.example');
      expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
      expect(ok.headers.get('access-control-expose-headers')).toContain('x-request-id');

      const other = await gw.request('/api', { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();

      const preflight = await gw.request('/api/cart/items', {
        method: 'OPTIONS',
        headers: {
          origin: 'https://admin.shop.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, idempotency-key',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    } finally {
      await gw.close();
    }
  });
});
