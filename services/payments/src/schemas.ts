import { Money } from '@storefront/contracts';
import { z } from '@storefront/kit';
import { PAYMENT_STATES, PROVIDERS, REFUND_STATES } from './domain.ts';

/** Request and response schemas of payments' routes: validation at the edge and /openapi.json. */

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const PaymentId = z.uuid().openapi({ example: '0199a83f-8840-7236-b5b8-ba24de364311' });

export const RefundOut = z
  .object({
    id: z.uuid(),
    amount: Money,
    state: z.enum(REFUND_STATES),
    reason: z.string(),
    failure: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Refund');

export const PaymentOut = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    customerId: z.string().nullable(),
    provider: z.enum(PROVIDERS),
    state: z.enum(PAYMENT_STATES),
    amount: Money,
    captured: Money,
    refunded: Money,
    card: z.object({ brand: z.string(), last4: z.string() }).nullable(),
    actionUrl: z.string().nullable().describe('Where the customer completes 3-D Secure, while requires_action'),
    decline: z.object({ code: z.string(), message: z.string() }).nullable(),
    refunds: z.array(RefundOut),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Payment');

export const LedgerVerification = z
  .object({
    ok: z.boolean(),
    entries: z.number().int().describe('Entries checked before the first break (all of them when ok)'),
    head: z.object({ seq: z.number().int(), hash: z.string() }).optional(),
    brokenAt: z.number().int().optional().describe('Sequence of the first entry that does not verify'),
    reason: z.string().optional(),
  })
  .openapi('LedgerVerification');

export const WebhookAck = z
  .object({
    received: z.literal(true),
    duplicate: z.boolean(),
    outcome: z.enum(['applied', 'ignored', 'duplicate']),
  })
  .openapi('WebhookAck');

export const CardIn = z
  .object({
    number: z
      .string()
      .min(12)
      .max(32)
      .regex(/^[0-9][0-9 -]*$/, 'digits, spaces and dashes'),
    expMonth: z.number().int().min(1).max(12),
    expYear: z.number().int().min(0).max(9999),
    cvc: z.string().regex(/^[0-9]{3,4}$/, 'three or four digits'),
  })
  .openapi('SandboxCard', { description: 'A test card; never stored or logged' });

export const PaymentMethodOut = z
  .object({
    id: z.string().openapi({ example: 'pm_sandbox_5f2c0d1e9a8b7c6d5e4f3a2b' }),
    brand: z.string(),
    last4: z.string(),
    expMonth: z.number().int(),
    expYear: z.number().int(),
  })
  .openapi('SandboxPaymentMethod');

export const ChallengeForm = z.object({
  token: z.string().min(1).max(200),
  outcome: z.enum(['approve', 'fail']),
});
