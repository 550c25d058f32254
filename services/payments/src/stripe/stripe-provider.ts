import Stripe from 'stripe';
import type { Card } from '../domain.ts';
import {
  type AuthorizeResult,
  type PaymentProvider,
  ProviderRefused,
  ProviderUnavailable,
  WebhookRejected,
} from '../provider.ts';
import { declineCode, stripeEvents } from './stripe-events.ts';

/**
 * Stripe through stripe-node: PaymentIntents with manual capture, confirmed at creation with the
 * PaymentMethod the browser got from Stripe Elements (card data never reaches us). Every call
 * carries our idempotency key; the SDK's own retries (maxNetworkRetries) resend the same key, and
 * so do the bus's retries after we give up. A short timeout makes "no answer" an unknown outcome
 * we retry, instead of a handler stuck for the SDK's default 80 s.
 */
export interface StripeProviderOptions {
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly timeoutMs: number;
  readonly maxNetworkRetries: number;
  /** Only for the local fake of Stripe's API in tests. */
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly protocol?: 'http' | 'https' | undefined;
  readonly webhookToleranceSeconds?: number;
}

export function createStripeClient(o: StripeProviderOptions): Stripe {
  return new Stripe(o.secretKey, {
    timeout: o.timeoutMs,
    maxNetworkRetries: o.maxNetworkRetries,
    telemetry: false,
    appInfo: { name: 'storefront-payments' },
    ...(o.host ? { host: o.host } : {}),
    ...(o.port ? { port: o.port } : {}),
    ...(o.protocol ? { protocol: o.protocol } : {}),
  });
}

type StripeErr = InstanceType<typeof Stripe.errors.StripeError>;
const isStripeError = (err: unknown): err is StripeErr => err instanceof Stripe.errors.StripeError;

/** Unknown outcomes (no answer, 5xx, 409 lock, 429, bad key) are retried; other refusals are final. */
function failure(what: string, err: unknown): Error {
  if (!isStripeError(err)) return err instanceof Error ? err : new Error(String(err));
  const status = err.statusCode;
  const retryable =
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeRateLimitError ||
    err instanceof Stripe.errors.StripeAuthenticationError ||
    status === undefined ||
    status === 409 ||
    status >= 500;
  const message = `stripe ${what}: ${err.type}${status ? ` ${status}` : ''} ${err.code ?? ''}`.trim();
  return retryable ? new ProviderUnavailable(message, { cause: err }) : new ProviderRefused(message, { cause: err });
}

function cardOf(pi: Stripe.PaymentIntent): Card | null {
  const pm = pi.payment_method;
  if (!pm || typeof pm === 'string' || !pm.card) return null;
  return { brand: pm.card.brand, last4: pm.card.last4 };
}

function fromIntent(pi: Stripe.PaymentIntent, returnUrl: string): AuthorizeResult {
  switch (pi.status) {
    case 'requires_capture':
    case 'succeeded':
      return { status: 'authorized', providerRef: pi.id, card: cardOf(pi) };
    case 'requires_action':
      // With a return_url Stripe offers a redirect; without one the browser's Stripe.js handles it there.
      return {
        status: 'action_required',
        providerRef: pi.id,
        actionUrl: pi.next_action?.redirect_to_url?.url ?? returnUrl,
        card: cardOf(pi),
      };
    case 'requires_payment_method':
    case 'canceled':
      return { status: 'declined', providerRef: pi.id, code: declineCode(pi.last_payment_error) };
    default:
      throw new ProviderUnavailable(`stripe authorize: intent ${pi.id} is ${pi.status}`);
  }
}

export function createStripeProvider(
  o: StripeProviderOptions,
  client: Stripe = createStripeClient(o),
): PaymentProvider {
  const tolerance = o.webhookToleranceSeconds ?? 300;
  return {
    name: 'stripe',
    accepts: (pm) => !pm.startsWith('pm_sandbox_'),

    async authorize(r) {
      try {
        const pi = await client.paymentIntents.create(
          {
            amount: r.amount.amount,
            currency: r.amount.currency.toLowerCase(),
            payment_method: r.paymentMethod,
            capture_method: 'manual',
            confirm: true,
            return_url: r.returnUrl,
            metadata: { paymentId: r.paymentId, orderId: r.orderId },
            expand: ['payment_method'],
          },
          { idempotencyKey: r.idempotencyKey },
        );
        return fromIntent(pi, r.returnUrl);
      } catch (err) {
        if (err instanceof Stripe.errors.StripeCardError) {
          return { status: 'declined', providerRef: err.payment_intent?.id ?? null, code: declineCode(err) };
        }
        // A PaymentMethod that does not exist (or belongs elsewhere) can never be charged.
        if (err instanceof Stripe.errors.StripeInvalidRequestError && err.param === 'payment_method') {
          return { status: 'declined', providerRef: null, code: 'payment_method_invalid' };
        }
        throw failure('authorize', err);
      }
    },

    async capture(r) {
      try {
        const pi = await client.paymentIntents.capture(
          r.providerRef,
          { amount_to_capture: r.amount.amount },
          { idempotencyKey: r.idempotencyKey },
        );
        return { amount: pi.amount_received };
      } catch (err) {
        const pi = isStripeError(err) ? err.payment_intent : undefined;
        if (pi?.status === 'succeeded') return { amount: pi.amount_received };
        throw failure('capture', err);
      }
    },

    async cancel(r) {
      try {
        await client.paymentIntents.cancel(r.providerRef, {}, { idempotencyKey: r.idempotencyKey });
      } catch (err) {
        if (isStripeError(err) && err.payment_intent?.status === 'canceled') return;
        throw failure('cancel', err);
      }
    },

    async refund(r) {
      try {
        const refund = await client.refunds.create(
          {
            payment_intent: r.providerRef,
            amount: r.amount.amount,
            metadata: { refundId: r.refundId, paymentId: r.paymentId },
          },
          { idempotencyKey: r.idempotencyKey },
        );
        if (refund.status === 'succeeded') return { status: 'succeeded', providerRef: refund.id };
        if (refund.status === 'failed' || refund.status === 'canceled') {
          return { status: 'failed', providerRef: refund.id, reason: refund.failure_reason ?? 'refund failed' };
        }
        return { status: 'pending', providerRef: refund.id };
      } catch (err) {
        const f = failure('refund', err);
        if (f instanceof ProviderRefused && isStripeError(err)) {
          return { status: 'failed', providerRef: null, reason: err.code ?? 'refund refused' };
        }
        throw f;
      }
    },

    parseWebhook(raw, headers, now) {
      let event: Stripe.Event;
      try {
        // The raw body exactly as received: re-serialized JSON would not match the signature.
        event = Stripe.webhooks.constructEvent(
          raw,
          headers.get('stripe-signature') ?? '',
          o.webhookSecret,
          tolerance,
          undefined,
          now.getTime(),
        );
      } catch (err) {
        const reason = err instanceof Stripe.errors.StripeSignatureVerificationError ? err.message : 'unreadable body';
        throw new WebhookRejected(`stripe webhook refused: ${reason.split('\n')[0]}`);
      }
      if (typeof event.id !== 'string' || event.id.length > 255)
        throw new WebhookRejected('stripe webhook without an id');
      return {
        id: event.id,
        type: String(event.type).slice(0, 100),
        events: stripeEvents(event.type, event.data?.object),
      };
    },
  };
}
