import { z } from '@storefront/kit';
import type { ProviderEvent } from '../provider.ts';

/**
 * Stripe's webhook events, mapped to the state machine's. Objects are read with our own lenient
 * schemas (only the fields we use), so a new API version's extra fields change nothing. Objects
 * without our ids in their metadata were not made by us (a dashboard refund, another integration)
 * and are left alone.
 */
const Metadata = z.record(z.string(), z.string()).optional();
const Intent = z.object({
  id: z.string().min(1).max(255),
  metadata: Metadata,
  amount_received: z.number().int().min(0).optional(),
  last_payment_error: z
    .object({ code: z.string().max(100).nullish(), decline_code: z.string().max(100).nullish() })
    .nullish(),
});
const Refund = z.object({
  id: z.string().min(1).max(255),
  status: z.string().max(40).nullish(),
  metadata: Metadata,
  failure_reason: z.string().max(200).nullish(),
});
const Charge = z.object({ refunds: z.object({ data: z.array(Refund).max(100) }).nullish() });

const uuid = z.uuid();
const ours = (metadata: Record<string, string> | undefined, key: string) => {
  const v = metadata?.[key];
  return v && uuid.safeParse(v).success ? v : undefined;
};

/** Stripe's generic decline becomes ours; a specific reason (insufficient_funds…) is kept. */
export function declineCode(e: { code?: string | null; decline_code?: string | null } | null | undefined): string {
  if (!e) return 'card_declined';
  if (e.decline_code && e.decline_code !== 'generic_decline') return e.decline_code;
  if (e.code === 'payment_intent_authentication_failure') return 'authentication_failed';
  return e.code ?? 'card_declined';
}

function refundEvents(refunds: z.infer<typeof Refund>[]): ProviderEvent[] {
  return refunds.flatMap((r): ProviderEvent[] => {
    const refundId = ours(r.metadata, 'refundId');
    if (!refundId) return [];
    if (r.status === 'succeeded') return [{ kind: 'refund_succeeded', refundId, providerRefundRef: r.id }];
    if (r.status === 'failed' || r.status === 'canceled') {
      return [
        { kind: 'refund_failed', refundId, providerRefundRef: r.id, reason: r.failure_reason ?? 'refund failed' },
      ];
    }
    return [];
  });
}

export function stripeEvents(type: string, object: unknown): ProviderEvent[] {
  if (type.startsWith('payment_intent.')) {
    const pi = Intent.safeParse(object);
    const paymentId = pi.success ? ours(pi.data.metadata, 'paymentId') : undefined;
    if (!pi.success || !paymentId) return [];
    const ref = { providerRef: pi.data.id, paymentId };
    switch (type) {
      case 'payment_intent.amount_capturable_updated':
        return [{ kind: 'authorized', ...ref }];
      case 'payment_intent.payment_failed':
        return [{ kind: 'declined', ...ref, code: declineCode(pi.data.last_payment_error) }];
      case 'payment_intent.succeeded':
        return [{ kind: 'captured', ...ref, amount: pi.data.amount_received ?? 0 }];
      case 'payment_intent.canceled':
        return [{ kind: 'voided', ...ref }];
      default:
        // payment_intent.requires_action: the command already answered action-required.
        return [];
    }
  }
  if (type === 'charge.refunded') {
    const charge = Charge.safeParse(object);
    return charge.success ? refundEvents(charge.data.refunds?.data ?? []) : [];
  }
  if (type === 'refund.created' || type === 'refund.updated' || type === 'refund.failed') {
    const refund = Refund.safeParse(object);
    return refund.success ? refundEvents([refund.data]) : [];
  }
  return [];
}
