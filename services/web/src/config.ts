import { authConfigShape, baseConfigShape, env, z } from '@storefront/kit';

/** Web talks to nothing but the gateway: every page is built from the public API, as a browser would. */
export const webConfig = z.object({
  ...baseConfigShape,
  JWT_ISSUER: authConfigShape.JWT_ISSUER,
  JWT_AUDIENCE: authConfigShape.JWT_AUDIENCE,
  PORT: env.port(8081),
  /** The gateway, from inside the cluster (or localhost under `npm start`). */
  UPSTREAM_GATEWAY_URL: z.url().default('http://127.0.0.1:8080'),
  /** Per-call timeout towards the gateway; a page shows a friendly error past it. */
  API_TIMEOUT_MS: env.int(8_000, 100, 60_000),
  /** Currency the shop prices in. */
  SHOP_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
  SHOP_NAME: z.string().min(1).max(60).default('Storefront'),
  /** Set with the stripe payment provider: the checkout page mounts Stripe's Payment Element. */
  STRIPE_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(test|live)_\w+$/)
    .optional(),
  /** The installation's service token; only an HMAC of it is sent, to prove to the gateway that web relays a shopper's call. */
  ADMIN_TOKEN: z.string().min(16).max(200).optional(),
  /** Cookies marked Secure; only a plain-http localhost setup turns this off. */
  COOKIE_SECURE: env.bool(true),
});
export type WebConfig = z.infer<typeof webConfig>;
