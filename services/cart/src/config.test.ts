import { ConfigError, loadConfig } from '@storefront/kit';
import { describe, expect, it } from 'vitest';
import { cartConfig, upstreamsOf } from './config.ts';

const base = { ADMIN_TOKEN: 'x'.repeat(16) };

describe('cart config', () => {
  it('defaults: local ports, the default shipping and tax tables', () => {
    const c = loadConfig(cartConfig, base);
    expect(upstreamsOf(c, false)).toEqual({
      catalog: 'http://127.0.0.1:8083',
      inventory: 'http://127.0.0.1:8084',
      jwks: 'http://127.0.0.1:8082/.well-known/jwks.json',
    });
    expect(c.PORT).toBe(8085);
    expect(Object.keys(c.SHIPPING_OPTIONS)).toEqual(['standard', 'express', 'pickup']);
    expect(c.TAX_RATES['US-CA']).toEqual({ rateBp: 725, shippingTaxable: false });
  });

  it("takes the platform's UPSTREAM_<NAME>_URL, and CATALOG_URL/INVENTORY_URL/JWKS_URL over them", () => {
    const platform = {
      ...base,
      UPSTREAM_CATALOG_URL: 'http://shop-catalog:8080/',
      UPSTREAM_INVENTORY_URL: 'http://shop-inventory:8080',
      UPSTREAM_IDENTITY_URL: 'http://shop-identity:8080',
    };
    expect(upstreamsOf(loadConfig(cartConfig, platform), false)).toEqual({
      catalog: 'http://shop-catalog:8080',
      inventory: 'http://shop-inventory:8080',
      jwks: 'http://shop-identity:8080/.well-known/jwks.json',
    });
    const explicit = {
      ...platform,
      CATALOG_URL: 'http://c:1',
      INVENTORY_URL: 'http://i:2',
      JWKS_URL: 'http://id:3/keys',
    };
    expect(upstreamsOf(loadConfig(cartConfig, explicit), true)).toEqual({
      catalog: 'http://c:1',
      inventory: 'http://i:2',
      jwks: 'http://id:3/keys',
    });
  });

  it('names the variable when a table is not valid', () => {
    const bad = (env: Record<string, string>) => {
      try {
        loadConfig(cartConfig, { ...base, ...env });
      } catch (err) {
        return (err as ConfigError).issues.map((i) => i.variable);
      }
      return [];
    };
    expect(bad({ TAX_RATES: '{not json' })).toEqual(['TAX_RATES']);
    expect(bad({ TAX_RATES: '{"US-CA":{"rateBp":-1}}' })[0]).toMatch(/^TAX_RATES/);
    expect(bad({ SHIPPING_OPTIONS: '{}' })[0]).toMatch(/^SHIPPING_OPTIONS/);
    expect(bad({ CATALOG_URL: 'ftp://x' })).toEqual(['CATALOG_URL']);
    expect(() => loadConfig(cartConfig, {})).toThrow(ConfigError);
  });
});
