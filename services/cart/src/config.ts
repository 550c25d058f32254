import { authConfigShape, baseConfigShape, ConfigError, dataConfigShape, env, z } from '@storefront/kit';
import { DEFAULT_SHIPPING, DEFAULT_TAX, ShippingTableSchema, TaxTableSchema } from './rates.ts';

/** A JSON-valued variable with a default, validated by `schema`; bad JSON names the variable. */
function jsonVar<T extends z.ZodType>(schema: T, fallback: z.input<T>) {
  return z
    .string()
    .default(JSON.stringify(fallback))
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const baseUrl = z.url().refine((u) => /^https?:\/\//.test(u) && !u.includes('?'), 'an http(s) URL without a query');

export const cartConfig = z.object({
  ...baseConfigShape,
  ...dataConfigShape,
  ...authConfigShape,
  PORT: env.port(8085),
  /** Where the catalog and inventory answer; default the launcher's UPSTREAM_<NAME>_URL, then the local port. */
  CATALOG_URL: baseUrl.optional(),
  INVENTORY_URL: baseUrl.optional(),
  UPSTREAM_CATALOG_URL: baseUrl.optional(),
  UPSTREAM_INVENTORY_URL: baseUrl.optional(),
  /** Identity's base URL; JWKS_URL, when not set, is its `/.well-known/jwks.json`. */
  UPSTREAM_IDENTITY_URL: baseUrl.optional(),
  /** Shared secret of the redeem/release routes (the checkout sends it as X-Service-Token). */
  ADMIN_TOKEN: z.string().min(16),
  UPSTREAM_TIMEOUT_MS: env.int(2_000, 50, 30_000),
  /** How long a SKU's price is kept in process; price events drop it sooner. 0 disables. */
  CATALOG_CACHE_TTL_MS: env.int(30_000, 0, 600_000),
  /** Redis TTL of cached carts (a read cache; writes replace entries). */
  CART_CACHE_TTL_MS: env.int(600_000, 1_000, 86_400_000),
  /** How long automatic promotions and codes are kept in process on each replica. */
  PROMOTIONS_CACHE_TTL_MS: env.int(5_000, 0, 300_000),
  MAX_LINE_QUANTITY: env.int(20, 1, 999),
  MAX_LINES: env.int(50, 1, 200),
  /** {"standard":{"name":"…","prices":{"USD":{"amount":599,"freeOver":5000}}},…} */
  SHIPPING_OPTIONS: jsonVar(ShippingTableSchema, DEFAULT_SHIPPING),
  /** {"US-CA":{"rateBp":725},"DE":{"rateBp":1900,"shippingTaxable":true},…}; prices are net of tax. */
  TAX_RATES: jsonVar(TaxTableSchema, DEFAULT_TAX),
});
export type CartConfig = z.infer<typeof cartConfig>;

/**
 * The upstream URLs: an explicit variable first, then the platform's UPSTREAM_<NAME>_URL
 * (what the launcher and the operator set), then the local default port. `explicitJwks` says
 * whether JWKS_URL was set (its schema has a default, so the parsed config cannot tell).
 */
export function upstreamsOf(config: CartConfig, explicitJwks: boolean) {
  const trim = (u: string) => u.replace(/\/+$/, '');
  const identity = config.UPSTREAM_IDENTITY_URL;
  const urls = {
    catalog: trim(config.CATALOG_URL ?? config.UPSTREAM_CATALOG_URL ?? 'http://127.0.0.1:8083'),
    inventory: trim(config.INVENTORY_URL ?? config.UPSTREAM_INVENTORY_URL ?? 'http://127.0.0.1:8084'),
    jwks: explicitJwks || !identity ? config.JWKS_URL : `${trim(identity)}/.well-known/jwks.json`,
  };
  if (!URL.canParse(urls.jwks)) throw new ConfigError([{ variable: 'JWKS_URL', message: 'not a URL' }]);
  return urls;
}
