import { randomBytes } from 'node:crypto';
import type { Clock } from '@storefront/contracts';
import type { Db, Queryable } from '@storefront/kit';
import type {
  AuthorizeRequest,
  AuthorizeResult,
  CancelRequest,
  CaptureRequest,
  PaymentProvider,
  RefundRequest,
  RefundResult,
} from '../provider.ts';
import { ProviderRefused, ProviderUnavailable, WebhookRejected } from '../provider.ts';
import { SandboxEventBody, type SandboxEventType, sandboxEvents } from './sandbox-events.ts';
import * as store from './store-sandbox.ts';
import { SANDBOX_SIGNATURE_HEADER, verifySignature } from './webhook-signature.ts';

/**
 * The sandbox as a PaymentProvider. It plays the provider's servers: its writes go through its own
 * connections (they commit whatever our transaction does, as a real provider's would), it honours
 * idempotency keys (first answer replayed, another request under a key refused), and it tells us
 * about every change by webhook, asynchronously, like Stripe.
 */
export interface SandboxProviderOptions {
  readonly db: Db;
  readonly clock: Clock;
  /** Where browsers reach this service's /sandbox/* routes (through the gateway in a deployment). */
  readonly publicBaseUrl: string;
  readonly webhookSecret: string;
  /** How many times the processing-error card fails per key before it goes through (default 1). */
  readonly transientFailures?: number;
}

export const SANDBOX_PM_PREFIX = 'pm_sandbox_';
export const sandboxId = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

export function actionUrl(publicBaseUrl: string, paymentId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/sandbox/3ds/${paymentId}`;
}

/** Queues a webhook about an intent (and a refund) in the sandbox's transaction. */
export async function notify(
  tx: Queryable,
  now: Date,
  type: SandboxEventType,
  intent: { id: string; paymentId: string; status: string; amountCaptured: number },
  extra: { code?: string; refund?: { id: string; refundId: string; reason?: string } } = {},
): Promise<void> {
  const id = sandboxId('evt_sb_');
  const body = {
    id,
    type,
    created: Math.floor(now.getTime() / 1000),
    data: {
      intent: {
        id: intent.id,
        paymentId: intent.paymentId,
        status: intent.status,
        amountCaptured: intent.amountCaptured,
        ...(extra.code ? { code: extra.code } : {}),
      },
      ...(extra.refund ? { refund: extra.refund } : {}),
    },
  };
  await store.enqueueWebhook(tx, id, type, body, now);
}

export function createSandboxProvider(o: SandboxProviderOptions): PaymentProvider {
  const transient = o.transientFailures ?? 1;

  async function idempotent<T>(key: string, params: unknown, fn: (tx: Queryable, now: Date) => Promise<T>): Promise<T> {
    const fingerprint = JSON.stringify(params);
    return o.db.tx(async (tx) => {
      // Two requests under one key run one after the other; the second gets the first's answer.
      await tx.query('SELECT pg_advisory_xact_lock(8087, hashtext($1))', [key]);
      const prior = await store.storedResponse(tx, key);
      if (prior) {
        if (prior.fingerprint !== fingerprint)
          throw new ProviderRefused(`idempotency key ${key} reused with other parameters`);
        return prior.response as T;
      }
      const now = o.clock();
      const response = await fn(tx, now);
      await store.storeResponse(tx, key, fingerprint, response, now);
      return response;
    });
  }

  async function authorize(r: AuthorizeRequest): Promise<AuthorizeResult> {
    const pm = await store.getPaymentMethod(o.db, r.paymentMethod);
    if (pm?.behaviour === 'processing_error' && !(await store.storedResponse(o.db, r.idempotencyKey))) {
      // Not stored under the key: the request "never ran", so the same key goes through later.
      if ((await store.countFailure(o.db, r.idempotencyKey)) <= transient) {
        throw new ProviderUnavailable('sandbox: processing error, try again');
      }
    }
    const { idempotencyKey, ...params } = r;
    return idempotent(idempotencyKey, { op: 'authorize', ...params }, async (tx, now): Promise<AuthorizeResult> => {
      if (!pm) return { status: 'declined', providerRef: null, code: 'payment_method_invalid' };
      const id = sandboxId('si_');
      const intent = { id, paymentId: r.paymentId, amountCaptured: 0 };
      const base = { ...intent, orderId: r.orderId, amount: r.amount.amount, currency: r.amount.currency };
      const create = (status: store.IntentStatus) =>
        store.insertIntent(tx, { ...base, status, paymentMethod: pm.id, returnUrl: r.returnUrl }, now);
      if (pm.behaviour === 'requires_3ds') {
        await create('requires_action');
        await notify(tx, now, 'intent.requires_action', { ...intent, status: 'requires_action' });
        const card = { brand: pm.brand, last4: pm.last4 };
        return { status: 'action_required', providerRef: id, actionUrl: actionUrl(o.publicBaseUrl, r.paymentId), card };
      }
      const declined = {
        card_declined: 'card_declined',
        insufficient_funds: 'insufficient_funds',
        expired_card: 'expired_card',
      };
      const code = declined[pm.behaviour as keyof typeof declined];
      if (code) {
        await create('requires_payment_method');
        await notify(tx, now, 'intent.payment_failed', { ...intent, status: 'requires_payment_method' }, { code });
        return { status: 'declined', providerRef: id, code };
      }
      await create('requires_capture');
      await notify(tx, now, 'intent.amount_capturable_updated', { ...intent, status: 'requires_capture' });
      return { status: 'authorized', providerRef: id, card: { brand: pm.brand, last4: pm.last4 } };
    });
  }

  async function capture(r: CaptureRequest): Promise<{ amount: number }> {
    const { idempotencyKey, ...params } = r;
    return idempotent(idempotencyKey, { op: 'capture', ...params }, async (tx, now) => {
      const i = await store.lockIntent(tx, r.providerRef);
      if (!i) throw new ProviderRefused(`no intent ${r.providerRef}`);
      if (i.status === 'succeeded') return { amount: i.amountCaptured };
      if (i.status !== 'requires_capture') throw new ProviderRefused(`intent ${i.id} is ${i.status}`);
      if (r.amount.currency !== i.currency || r.amount.amount > i.amount) {
        throw new ProviderRefused('capture amount exceeds the authorization');
      }
      await store.updateIntent(tx, i.id, { status: 'succeeded', captured: r.amount.amount }, now);
      await notify(tx, now, 'intent.succeeded', { ...i, status: 'succeeded', amountCaptured: r.amount.amount });
      return { amount: r.amount.amount };
    });
  }

  async function cancel(r: CancelRequest): Promise<void> {
    const { idempotencyKey, ...params } = r;
    await idempotent(idempotencyKey, { op: 'cancel', ...params }, async (tx, now) => {
      const i = await store.lockIntent(tx, r.providerRef);
      if (!i) throw new ProviderRefused(`no intent ${r.providerRef}`);
      if (i.status === 'canceled') return { canceled: true };
      if (i.status !== 'requires_capture' && i.status !== 'requires_action') {
        throw new ProviderRefused(`intent ${i.id} is ${i.status} and cannot be cancelled`);
      }
      await store.updateIntent(tx, i.id, { status: 'canceled' }, now);
      await notify(tx, now, 'intent.canceled', { ...i, status: 'canceled' });
      return { canceled: true };
    });
  }

  async function refund(r: RefundRequest): Promise<RefundResult> {
    const { idempotencyKey, ...params } = r;
    return idempotent(idempotencyKey, { op: 'refund', ...params }, async (tx, now): Promise<RefundResult> => {
      const i = await store.lockIntent(tx, r.providerRef);
      if (i?.status !== 'succeeded')
        return { status: 'failed', providerRef: null, reason: 'nothing captured to refund' };
      if (r.amount.currency !== i.currency || r.amount.amount > i.amountCaptured - i.amountRefunded) {
        return { status: 'failed', providerRef: null, reason: 'refund exceeds what is left of the charge' };
      }
      const id = sandboxId('sr_');
      const fails = i.behaviour === 'refund_fails';
      await store.insertRefund(
        tx,
        { id, intentId: i.id, refundId: r.refundId, amount: r.amount.amount, status: fails ? 'pending' : 'succeeded' },
        now,
      );
      if (!fails) await store.updateIntent(tx, i.id, { refundedDelta: r.amount.amount }, now);
      const refundRef = {
        id,
        refundId: r.refundId,
        ...(fails ? { reason: 'the card issuer refused the refund' } : {}),
      };
      await notify(tx, now, fails ? 'refund.failed' : 'refund.succeeded', i, { refund: refundRef });
      return { status: fails ? 'pending' : 'succeeded', providerRef: id };
    });
  }

  return {
    name: 'sandbox',
    accepts: (pm) => pm.startsWith(SANDBOX_PM_PREFIX),
    authorize,
    capture,
    cancel,
    refund,
    parseWebhook(raw, headers, now) {
      const check = verifySignature(raw, headers.get(SANDBOX_SIGNATURE_HEADER), o.webhookSecret, now.getTime() / 1000);
      if (!check.ok) throw new WebhookRejected(`sandbox webhook refused: ${check.reason}`);
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        throw new WebhookRejected('sandbox webhook refused: the body is not JSON');
      }
      const body = SandboxEventBody.safeParse(json);
      if (!body.success) throw new WebhookRejected('sandbox webhook refused: unexpected body');
      return { id: body.data.id, type: body.data.type, events: sandboxEvents(body.data) };
    },
  };
}
