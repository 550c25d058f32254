import { createHmac } from 'node:crypto';
import { authConfigShape, baseConfigShape, dataConfigShape, env, z } from '@storefront/kit';

const codes = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );

/** Fulfillment's environment, parsed once in main.ts; boot fails naming the bad variable. */
export const fulfillmentConfig = z
  .object({
    ...baseConfigShape,
    ...dataConfigShape,
    ...authConfigShape,
    PORT: env.port(8088),
    /** The carrier new shipments are labelled with; only the development carrier exists so far. */
    CARRIER: z.enum(['devcarrier']).default('devcarrier'),
    ADMIN_TOKEN: z.string().min(16).optional(),
    /** Signs and verifies devcarrier webhooks; derived from ADMIN_TOKEN when unset (local runs). */
    DEVCARRIER_WEBHOOK_SECRET: z.string().min(16).optional(),
    /** Where the dev carrier posts; by default this replica's own endpoint. */
    DEVCARRIER_WEBHOOK_URL: z.url().optional(),
    /** Time between a parcel's steps (label_created → picked_up → in_transit → …). */
    DEVCARRIER_STEP_MS: env.int(5_000, 10, 86_400_000),
    DEVCARRIER_POLL_MS: env.int(500, 10, 60_000),
    DEVCARRIER_RETRY_BASE_MS: env.int(1_000, 10, 600_000),
    DEVCARRIER_MAX_ATTEMPTS: env.int(12, 1, 100),
    /** Addresses the dev carrier refuses, so "shipment creation fails" can be played on purpose. */
    DEVCARRIER_REFUSE_COUNTRIES: codes(''),
    DEVCARRIER_REFUSE_POSTAL_CODES: codes('00000'),
  })
  .refine((c) => c.DEVCARRIER_WEBHOOK_SECRET ?? c.ADMIN_TOKEN, {
    message: 'set DEVCARRIER_WEBHOOK_SECRET (or ADMIN_TOKEN to derive one)',
    path: ['DEVCARRIER_WEBHOOK_SECRET'],
  });
export type FulfillmentConfig = z.infer<typeof fulfillmentConfig>;

/** Every replica derives the same secret from the shared admin token, without the token itself going on the wire. */
export function webhookSecret(c: FulfillmentConfig): string {
  if (c.DEVCARRIER_WEBHOOK_SECRET) return c.DEVCARRIER_WEBHOOK_SECRET;
  return createHmac('sha256', c.ADMIN_TOKEN ?? '')
    .update('devcarrier-webhook')
    .digest('hex');
}
