import { authConfigShape, baseConfigShape, dataConfigShape, env, z } from '@storefront/kit';

/** Payments' environment; main.ts parses it once and boot fails naming the bad variable. */
export const paymentsConfig = z
  .object({
    ...baseConfigShape,
    ...dataConfigShape,
    ...authConfigShape,
    PORT: env.port(8087),
    /** Which provider takes new payments: the sandbox (local default, test cards) or Stripe. */
    PAYMENTS_PROVIDER: z.enum(['sandbox', 'stripe']).default('sandbox'),
    /** Where browsers reach this service's routes (through the gateway: `http://localhost:8080/api/payments`). */
    PUBLIC_BASE_URL: z.url().optional(),
    /** HMAC key of the sandbox's webhook callbacks; shared by every replica (random per process if unset). */
    SANDBOX_WEBHOOK_SECRET: z.string().min(16).max(200).optional(),
    /** Where the sandbox delivers its callbacks (default: this process). */
    SANDBOX_WEBHOOK_URL: z.url().optional(),
    STRIPE_SECRET_KEY: z.string().min(8).max(500).optional(),
    STRIPE_WEBHOOK_SECRET: z.string().min(8).max(500).optional(),
    /** Only to point the SDK at a local fake of Stripe's API. */
    STRIPE_API_HOST: z.string().min(1).max(253).optional(),
    STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
    /** Per attempt; the SDK makes up to 1 + STRIPE_MAX_NETWORK_RETRIES attempts with the same key. */
    STRIPE_TIMEOUT_MS: env.int(5_000, 100, 60_000),
    STRIPE_MAX_NETWORK_RETRIES: env.int(2, 0, 5),
  })
  .superRefine((c, ctx) => {
    if (c.PAYMENTS_PROVIDER !== 'stripe') return;
    for (const k of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const) {
      if (!c[k]) ctx.addIssue({ code: 'custom', path: [k], message: `required when PAYMENTS_PROVIDER=stripe` });
    }
  });
export type PaymentsConfig = z.infer<typeof paymentsConfig>;
