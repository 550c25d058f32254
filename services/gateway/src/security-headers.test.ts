import { describe, expect, it } from 'vitest';
import { testGateway } from './test-helpers.ts';

describe('security headers', () => {
  it('sets a real CSP with a fresh nonce per response, and the usual hardening headers', async () => {
    const gw = await testGateway({ redis: null });
    try {
      const a = await gw.request('/api');
      const b = await gw.request('/api');
      const csp = a.headers.get('content-security-policy') ?? '';
      for (const directive of [
        "default-src 'self'",
        'https://js.stripe.com',
        'frame-src https://js.stripe.com https://hooks.stripe.com',
        "connect-src 'self' https://api.stripe.com",
        "img-src 'self' data: https:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self' https://hooks.stripe.com",
        "frame-ancestors 'none'",
      ]) {
        expect(csp).toContain(directive);
      }
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(b.headers.get('content-security-policy')).not.toContain(nonce);
      expect(a.headers.get('x-content-type-options')).toBe('nosniff');
      expect(a.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(a.headers.get('x-frame-options')).toBe('DENY');
    } finally {
      await gw.close();
    }
  });

  it('sends HSTS outside localhost only', async () => {
    const gw = await testGateway({ redis: null });
    try {
      const local = await gw.request('http://localhost:8080/api');
      expect(local.headers.get('strict-transport-security')).toBeNull();
      const loopback = await gw.request('/api', { headers: { host: '127.0.0.1:8080' } });
      expect(loopback.headers.get('strict-transport-security')).toBeNull();
      const shop = await gw.request('https://shop.example/api', { headers: { host: 'shop.example' } });
      expect(shop.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await gw.close();
    }
  });

  it('lets the landing page style through the CSP with its nonce, and no inline script', async () => {
    const gw = await testGateway({ redis: null });
    try {
      const res = await gw.request('/');
      const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
      const page = await res.text();
      expect(page).toContain(`<style nonce="${nonce}">`);
      expect(page).not.toContain('<script');
    } finally {
      await gw.close();
    }
  });
});
