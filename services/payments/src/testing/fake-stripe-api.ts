import { createFakeMethods, type PaymentMethod } from './fake-stripe-methods.ts';
import {
  type Params as Body,
  decodeForm,
  type Intent,
  id,
  intentJson,
  type Refund,
  str,
  stripeError,
  testMethodJson,
} from './fake-stripe-objects.ts';

/** The fake Stripe's endpoints over its in-memory objects (the HTTP side is fake-stripe.ts). */
export type Answer = { status: number; body: unknown };

export interface FakeApi {
  readonly intents: Map<string, Intent>;
  readonly refunds: Map<string, Refund>;
  readonly paymentMethods: Map<string, PaymentMethod>;
  route(method: string, path: string, rawParams: string): Answer;
  completeAction(intentId: string, ok: boolean): Intent;
  /** An intent as the API (and its webhook events) show it. */
  json(i: Intent, expand?: readonly string[]): Record<string, unknown>;
}

export interface FakeApiOptions {
  /** Where Stripe's 3-D Secure page lives (next_action.redirect_to_url.url); default the fake itself. */
  readonly hooksUrl?: () => string;
  /** A PaymentIntent changed as Stripe announces it to webhook endpoints (`payment_intent.succeeded`…). */
  readonly emit?: (type: string, i: Intent) => void;
}

export function createFakeApi(baseUrl: () => string, o: FakeApiOptions = {}): FakeApi {
  const intents = new Map<string, Intent>();
  const refunds = new Map<string, Refund>();
  const pms = createFakeMethods();
  const now = () => Math.floor(Date.now() / 1000);
  const hooksUrl = o.hooksUrl ?? baseUrl;
  const emit = o.emit ?? (() => {});
  const json = (i: Intent, expand: readonly string[] = []) =>
    intentJson(i, expand, (pmId) => pms.methods.get(pmId) ?? testMethodJson(pmId));

  function createIntent(p: Body): Answer {
    const amount = Number(str(p, 'amount'));
    const pmId = str(p, 'payment_method') ?? '';
    if (!Number.isInteger(amount) || amount < 1) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'parameter_invalid_integer',
        param: 'amount',
        message: 'bad amount',
      });
    }
    const pm = pms.find(pmId);
    if (!pm) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'payment_method',
        message: `No such PaymentMethod: '${pmId}'`,
      });
    }
    const i: Intent = {
      id: id('pi'),
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      currency: str(p, 'currency') ?? 'usd',
      status: 'requires_confirmation',
      capture_method: str(p, 'capture_method') ?? 'automatic',
      payment_method: pmId,
      metadata: (p.metadata as Record<string, string>) ?? {},
      next_action: null,
      last_payment_error: null,
      client_secret: `${id('pi')}_secret`,
      created: now(),
      refunded: 0,
    };
    intents.set(i.id, i);
    return str(p, 'confirm') === 'true' ? confirm(i, p) : { status: 200, body: json(i, expand(p)) };
  }

  function confirm(i: Intent, p: Body): Answer {
    const b = pms.find(i.payment_method)?.behaviour ?? { kind: 'ok' as const };
    if (b.kind === 'decline') {
      i.status = 'requires_payment_method';
      const error = {
        type: 'card_error' as const,
        code: b.code,
        ...(b.declineCode ? { decline_code: b.declineCode } : {}),
        message: 'Your card was declined.',
      };
      i.last_payment_error = error;
      emit('payment_intent.payment_failed', i);
      return stripeError(402, { ...error, payment_intent: json(i) });
    }
    if (b.kind === '3ds') {
      i.status = 'requires_action';
      const returnUrl = str(p, 'return_url') ?? '';
      i.next_action = {
        type: 'redirect_to_url',
        redirect_to_url: { url: `${hooksUrl()}/3ds/${i.id}`, return_url: returnUrl },
      };
      emit('payment_intent.requires_action', i);
    } else authorize(i);
    return { status: 200, body: json(i, expand(p)) };
  }

  function authorize(i: Intent) {
    i.status = i.capture_method === 'manual' ? 'requires_capture' : 'succeeded';
    i.amount_capturable = i.status === 'requires_capture' ? i.amount : 0;
    i.amount_received = i.status === 'succeeded' ? i.amount : 0;
    i.next_action = null;
    emit(i.status === 'succeeded' ? 'payment_intent.succeeded' : 'payment_intent.amount_capturable_updated', i);
  }

  const unexpected = (i: Intent, what: string) =>
    stripeError(400, {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: `You cannot ${what} this PaymentIntent because it has a status of ${i.status}.`,
      payment_intent: json(i),
    });

  function refund(p: Body): Answer {
    const i = intents.get(str(p, 'payment_intent') ?? '');
    if (!i)
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: 'No such payment_intent',
      });
    const amount = Number(str(p, 'amount') ?? i.amount_received - i.refunded);
    if (i.status !== 'succeeded') return unexpected(i, 'refund');
    if (!Number.isInteger(amount) || amount < 1 || amount > i.amount_received - i.refunded) {
      return stripeError(400, { type: 'invalid_request_error', code: 'amount_too_large', message: 'too large' });
    }
    const pending = pms.find(i.payment_method)?.behaviour.kind === 'refund_pending';
    const r: Refund = {
      id: id('re'),
      object: 'refund',
      amount,
      currency: i.currency,
      status: pending ? 'pending' : 'succeeded',
      payment_intent: i.id,
      metadata: (p.metadata as Record<string, string>) ?? {},
      failure_reason: null,
      created: now(),
    };
    if (!pending) i.refunded += amount;
    refunds.set(r.id, r);
    return { status: 200, body: r };
  }

  function route(method: string, path: string, p: Body): Answer {
    const m = /^\/v1\/payment_intents\/([^/]+)(?:\/(confirm|capture|cancel))?$/.exec(path);
    if (method === 'POST' && path === '/v1/payment_intents') return createIntent(p);
    if (method === 'POST' && path === '/v1/refunds') return refund(p);
    if (method === 'POST' && path === '/v1/payment_methods') return pms.create(p, now());
    const pm = /^\/v1\/payment_methods\/([^/]+)$/.exec(path);
    if (method === 'GET' && pm?.[1]) {
      const found = pms.methods.get(pm[1]);
      return found ? { status: 200, body: found } : missing();
    }
    const r = /^\/v1\/refunds\/([^/]+)$/.exec(path);
    if (method === 'GET' && r?.[1]) {
      const found = refunds.get(r[1]);
      return found ? { status: 200, body: found } : missing();
    }
    const i = m?.[1] ? intents.get(m[1]) : undefined;
    if (!m || !i) return missing();
    if (method === 'GET' && !m[2]) return { status: 200, body: json(i, expand(p)) };
    if (method !== 'POST') return missing();
    if (m[2] === 'confirm') return i.status === 'requires_confirmation' ? confirm(i, p) : unexpected(i, 'confirm');
    if (m[2] === 'capture') {
      if (i.status !== 'requires_capture') return unexpected(i, 'capture');
      const amount = Number(str(p, 'amount_to_capture') ?? i.amount);
      if (!Number.isInteger(amount) || amount < 1 || amount > i.amount) return unexpected(i, 'capture more of');
      Object.assign(i, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
      emit('payment_intent.succeeded', i);
      return { status: 200, body: json(i, expand(p)) };
    }
    if (
      !['requires_capture', 'requires_action', 'requires_payment_method', 'requires_confirmation'].includes(i.status)
    ) {
      return unexpected(i, 'cancel');
    }
    Object.assign(i, { status: 'canceled', amount_capturable: 0, next_action: null });
    emit('payment_intent.canceled', i);
    return { status: 200, body: json(i, expand(p)) };
  }

  const missing = (): Answer =>
    stripeError(404, { type: 'invalid_request_error', code: 'resource_missing', message: 'No such object' });
  const expand = (p: Body) => (Array.isArray(p.expand) ? (p.expand as string[]) : []);

  return {
    intents,
    refunds,
    paymentMethods: pms.methods,
    json,
    route: (method, path, rawParams) => route(method, path, decodeForm(rawParams)),
    completeAction(intentId, ok) {
      const i = intents.get(intentId);
      if (i?.status !== 'requires_action') throw new Error(`${intentId} is not waiting for an action`);
      if (ok) authorize(i);
      else {
        i.status = 'requires_payment_method';
        i.next_action = null;
        i.last_payment_error = {
          type: 'card_error',
          code: 'payment_intent_authentication_failure',
          message: 'We are unable to authenticate your payment method.',
        };
        emit('payment_intent.payment_failed', i);
      }
      return i;
    },
  };
}
