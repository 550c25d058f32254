import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '@storefront/contracts';
import { type Db, Forbidden, NotFound, ValidationFailed } from '@storefront/kit';
import type { PaymentProvider } from '../provider.ts';
import { type CardInput, checkCard } from './cards.ts';
import { createSandboxProvider, notify, SANDBOX_PM_PREFIX, sandboxId } from './sandbox-provider.ts';
import * as store from './store-sandbox.ts';

/**
 * The whole sandbox: the provider the state machine calls, plus what a provider's browser side
 * does — turning a test card into an opaque token, and the 3-D Secure challenge page.
 */
export interface SandboxOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly publicBaseUrl: string;
  readonly webhookSecret: string;
  readonly transientFailures?: number;
  /** How long a rendered challenge form stays usable (default 15 min). */
  readonly challengeTtlMs?: number;
}

export interface PaymentMethodOut {
  readonly id: string;
  readonly brand: string;
  readonly last4: string;
  readonly expMonth: number;
  readonly expYear: number;
}

export interface Challenge {
  readonly token: string;
  readonly amount: { amount: number; currency: string };
  readonly card: { brand: string | null; last4: string | null };
  readonly returnUrl: string;
}

export interface Sandbox {
  readonly provider: PaymentProvider;
  createPaymentMethod(card: CardInput): Promise<PaymentMethodOut>;
  /** A fresh single-use form token for the payment's pending challenge; NotFound when there is none. */
  openChallenge(paymentId: string): Promise<Challenge>;
  /** Spends the token and settles the challenge; the webhook then tells payments. */
  completeChallenge(paymentId: string, token: string, approve: boolean): Promise<{ redirectTo: string }>;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest();

export function createSandbox(o: SandboxOptions): Sandbox {
  const provider = createSandboxProvider(o);
  const ttl = o.challengeTtlMs ?? 15 * 60_000;

  return {
    provider,
    async createPaymentMethod(input) {
      const checked = checkCard(input, o.clock());
      if (!checked.ok) {
        throw new ValidationFailed(`${checked.field}: ${checked.message}`, [
          { path: `body.${checked.field}`, message: checked.message },
        ]);
      }
      const id = sandboxId(SANDBOX_PM_PREFIX);
      await store.insertPaymentMethod(o.db, id, checked.card, o.clock());
      const { brand, last4, expMonth, expYear } = checked.card;
      return { id, brand, last4, expMonth, expYear };
    },

    async openChallenge(paymentId) {
      const i = await store.intentOfPayment(o.db, paymentId);
      if (i?.status !== 'requires_action') throw new NotFound('no 3-D Secure challenge is waiting for this payment');
      const token = randomBytes(32).toString('base64url');
      await store.insertChallenge(o.db, hashToken(token), i.id, new Date(o.clock().getTime() + ttl));
      return {
        token,
        amount: { amount: i.amount, currency: i.currency },
        card: { brand: i.brand, last4: i.last4 },
        returnUrl: i.returnUrl,
      };
    },

    async completeChallenge(paymentId, token, approve) {
      return o.db.tx(async (tx) => {
        const now = o.clock();
        const i = await store.intentOfPayment(tx, paymentId, true);
        if (!i) throw new NotFound('no 3-D Secure challenge for this payment');
        // The token proves the answer comes from the page we rendered (CSRF), and only once.
        if (!(await store.useChallenge(tx, hashToken(token), i.id, now))) {
          throw new Forbidden('this challenge form has expired or was already used; reload the page', {
            extensions: { code: 'csrf_failed' },
          });
        }
        let outcome = 'failed';
        if (i.status === 'requires_action') {
          const status = approve ? 'requires_capture' : 'requires_payment_method';
          await store.updateIntent(tx, i.id, { status }, now);
          if (approve) await notify(tx, now, 'intent.amount_capturable_updated', { ...i, status });
          else await notify(tx, now, 'intent.payment_failed', { ...i, status }, { code: 'authentication_failed' });
          outcome = approve ? 'succeeded' : 'failed';
        } else if (i.status === 'requires_capture' || i.status === 'succeeded') outcome = 'succeeded';
        const back = new URL(i.returnUrl);
        back.searchParams.set('paymentId', paymentId);
        back.searchParams.set('redirect_status', outcome);
        return { redirectTo: back.toString() };
      });
    },
  };
}
