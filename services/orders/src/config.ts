import { createHmac } from 'node:crypto';
import { authConfigShape, baseConfigShape, dataConfigShape, env, z } from '@storefront/kit';

/** Orders' environment, parsed once in main.ts; boot fails naming the bad variable. */
export const ordersConfig = z
  .object({
    ...baseConfigShape,
    ...dataConfigShape,
    ...authConfigShape,
    PORT: env.port(8086),
    /** The cart service (quotes; promotion redeem/release). Default: the launcher's UPSTREAM_CART_URL, then the local port. */
    CART_URL: z.url().optional(),
    UPSTREAM_CART_URL: z.url().optional(),
    /** Sent as X-Service-Token to the cart's promotion routes; also derives the order-token secret when that is unset. */
    ADMIN_TOKEN: z.string().min(16).optional(),
    SERVICE_TOKEN: z.string().min(16).optional(),
    ORDER_TOKEN_SECRET: z.string().min(16).optional(),
    UPSTREAM_TIMEOUT_MS: env.int(3_000, 50, 30_000),
    RESERVE_TIMEOUT_MS: env.int(30_000, 100, 3_600_000),
    /** A 3-D Secure challenge takes the customer minutes. */
    AUTHORIZE_TIMEOUT_MS: env.int(900_000, 100, 86_400_000),
    SHIP_TIMEOUT_MS: env.int(120_000, 100, 86_400_000),
    SAGA_RETRY_MS: env.int(5_000, 50, 600_000),
    SWEEP_INTERVAL_MS: env.int(1_000, 20, 600_000),
    MAX_CANCEL_ATTEMPTS: env.int(5, 1, 100),
  })
  .refine((c) => c.SERVICE_TOKEN ?? c.ADMIN_TOKEN, {
    message: 'set SERVICE_TOKEN (or ADMIN_TOKEN)',
    path: ['SERVICE_TOKEN'],
  });
export type OrdersConfig = z.infer<typeof ordersConfig>;

export function serviceToken(c: OrdersConfig): string {
  return c.SERVICE_TOKEN ?? c.ADMIN_TOKEN ?? '';
}

/** Every replica derives the same secret from the shared token without putting that token in a URL. */
export function orderTokenSecret(c: OrdersConfig): string {
  return c.ORDER_TOKEN_SECRET ?? createHmac('sha256', serviceToken(c)).update('order-token').digest('hex');
}

export function cartUrl(c: OrdersConfig): string {
  return c.CART_URL ?? c.UPSTREAM_CART_URL ?? 'http://127.0.0.1:8085';
}
