import type { Money } from '@storefront/contracts';
import { DomainError } from '@storefront/kit';
import type { Card, ProviderName } from './domain.ts';

/**
 * What the state machine needs from a payment provider. Two implementations: `sandbox` (test cards,
 * local default) and `stripe` (stripe-node). Every call carries our own idempotency key, so a retry
 * after an unknown outcome replays the first answer instead of moving money twice.
 *
 * Errors: `ProviderUnavailable` = the outcome is unknown (timeout, 5xx, 429, connection) → the
 * command is retried later with the same key. `ProviderRefused` = the provider will never do it
 * (wrong state on its side, a reused key) → not retryable. A decline is a result, not an error.
 */
export interface AuthorizeRequest {
  readonly paymentId: string;
  readonly orderId: string;
  readonly amount: Money;
  readonly paymentMethod: string;
  readonly returnUrl: string;
  readonly idempotencyKey: string;
}

export type AuthorizeResult =
  | { readonly status: 'authorized'; readonly providerRef: string; readonly card: Card | null }
  | {
      readonly status: 'action_required';
      readonly providerRef: string;
      readonly actionUrl: string;
      readonly card: Card | null;
    }
  | { readonly status: 'declined'; readonly providerRef: string | null; readonly code: string };

export interface CaptureRequest {
  readonly paymentId: string;
  readonly providerRef: string;
  readonly amount: Money;
  readonly idempotencyKey: string;
}

export interface CancelRequest {
  readonly paymentId: string;
  readonly providerRef: string;
  readonly idempotencyKey: string;
}

export interface RefundRequest {
  readonly paymentId: string;
  readonly refundId: string;
  readonly providerRef: string;
  readonly amount: Money;
  readonly idempotencyKey: string;
}

export type RefundResult =
  | { readonly status: 'succeeded' | 'pending'; readonly providerRef: string }
  | { readonly status: 'failed'; readonly providerRef: string | null; readonly reason: string };

/** A provider webhook, verified and mapped to what the state machine understands. */
export interface ProviderWebhook {
  readonly id: string;
  readonly type: string;
  readonly events: readonly ProviderEvent[];
}

/** `paymentId` comes from the metadata we attached; events for objects without it are not ours. */
export type ProviderEvent =
  | { readonly kind: 'authorized'; readonly providerRef: string; readonly paymentId: string }
  | { readonly kind: 'declined'; readonly providerRef: string; readonly paymentId: string; readonly code: string }
  | { readonly kind: 'captured'; readonly providerRef: string; readonly paymentId: string; readonly amount: number }
  | { readonly kind: 'voided'; readonly providerRef: string; readonly paymentId: string }
  | RefundEvent;

export type RefundEvent =
  | { readonly kind: 'refund_succeeded'; readonly refundId: string; readonly providerRefundRef: string }
  | {
      readonly kind: 'refund_failed';
      readonly refundId: string;
      readonly providerRefundRef: string;
      readonly reason: string;
    };

export interface WebhookHeaders {
  get(name: string): string | undefined;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Whether this provider issued the payment-method token (the sandbox's start with pm_sandbox_). */
  accepts(paymentMethod: string): boolean;
  authorize(r: AuthorizeRequest): Promise<AuthorizeResult>;
  /** Resolves with the captured amount. */
  capture(r: CaptureRequest): Promise<{ readonly amount: number }>;
  /** Cancels the authorization; resolves too when it was already cancelled. */
  cancel(r: CancelRequest): Promise<void>;
  refund(r: RefundRequest): Promise<RefundResult>;
  /** Verifies the signature over the raw body, then maps it; throws WebhookRejected. */
  parseWebhook(rawBody: string, headers: WebhookHeaders, now: Date): ProviderWebhook;
}

export class ProviderUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderUnavailable';
  }
}

export class ProviderRefused extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderRefused';
  }
}

/** A webhook whose signature, timestamp or body we do not accept. */
export class WebhookRejected extends DomainError {
  override readonly status = 400;
  override readonly code = 'webhook_rejected';
  override readonly title = 'Webhook rejected';
}

export type Providers = Partial<Record<ProviderName, PaymentProvider>>;

/** The provider that issued a payment-method token; undefined when no enabled provider did. */
export function providerFor(providers: Providers, paymentMethod: string): PaymentProvider | undefined {
  return Object.values(providers).find((p) => p?.accepts(paymentMethod));
}
