import { z } from '@storefront/kit';
import type { ProviderEvent } from '../provider.ts';

/**
 * The sandbox's webhook bodies: what it sends after each change on its side, and how our receiver
 * maps one to the state machine's events (as stripe-events.ts does for Stripe's).
 */
export const SANDBOX_EVENT_TYPES = [
  'intent.amount_capturable_updated',
  'intent.requires_action',
  'intent.payment_failed',
  'intent.succeeded',
  'intent.canceled',
  'refund.succeeded',
  'refund.failed',
] as const;
export type SandboxEventType = (typeof SANDBOX_EVENT_TYPES)[number];

const IntentData = z.object({
  id: z.string().min(1).max(100),
  paymentId: z.uuid(),
  status: z.string().max(40),
  amountCaptured: z.number().int().min(0).max(1e12),
  code: z.string().max(64).optional(),
});
const RefundData = z.object({
  id: z.string().min(1).max(100),
  refundId: z.uuid(),
  reason: z.string().max(500).optional(),
});

export const SandboxEventBody = z.object({
  id: z.string().min(1).max(100),
  type: z.string().min(1).max(100),
  created: z.number().int(),
  data: z.object({ intent: IntentData.optional(), refund: RefundData.optional() }),
});
export type SandboxEventBody = z.infer<typeof SandboxEventBody>;

export function sandboxEvents(body: SandboxEventBody): ProviderEvent[] {
  const i = body.data.intent;
  const r = body.data.refund;
  switch (body.type as SandboxEventType) {
    case 'intent.amount_capturable_updated':
      return i ? [{ kind: 'authorized', providerRef: i.id, paymentId: i.paymentId }] : [];
    case 'intent.payment_failed':
      return i
        ? [{ kind: 'declined', providerRef: i.id, paymentId: i.paymentId, code: i.code ?? 'card_declined' }]
        : [];
    case 'intent.succeeded':
      return i ? [{ kind: 'captured', providerRef: i.id, paymentId: i.paymentId, amount: i.amountCaptured }] : [];
    case 'intent.canceled':
      return i ? [{ kind: 'voided', providerRef: i.id, paymentId: i.paymentId }] : [];
    case 'refund.succeeded':
      return r ? [{ kind: 'refund_succeeded', refundId: r.refundId, providerRefundRef: r.id }] : [];
    case 'refund.failed':
      return r
        ? [
            {
              kind: 'refund_failed',
              refundId: r.refundId,
              providerRefundRef: r.id,
              reason: r.reason ?? 'refund failed',
            },
          ]
        : [];
    default:
      // intent.requires_action and anything newer: informational only.
      return [];
  }
}
