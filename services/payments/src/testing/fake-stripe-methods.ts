import { type Behaviour, id, type Params, str, stripeError, TEST_PAYMENT_METHODS } from './fake-stripe-objects.ts';

/**
 * PaymentMethods as Stripe.js makes them: `POST /v1/payment_methods` with `type=card`, the card's
 * number, expiry and CVC, and billing details, called from the browser with the publishable key.
 * Stripe's test card numbers (docs.stripe.com/testing) decide what a charge on the method does;
 * any other valid number is a live card, which test mode refuses as Stripe does.
 */
export interface PaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card';
  card: { brand: string; last4: string; exp_month: number; exp_year: number; funding: string; country: string };
  billing_details: {
    name: string | null;
    email: string | null;
    phone: string | null;
    address: Record<string, string | null>;
  };
  created: number;
  customer: null;
  livemode: false;
  metadata: Record<string, string>;
}

export const TEST_CARDS: Record<string, { brand: string; behaviour: Behaviour }> = {
  '4242424242424242': { brand: 'visa', behaviour: { kind: 'ok' } },
  '5555555555554444': { brand: 'mastercard', behaviour: { kind: 'ok' } },
  '4000000000000002': {
    brand: 'visa',
    behaviour: { kind: 'decline', code: 'card_declined', declineCode: 'generic_decline' },
  },
  '4000000000009995': {
    brand: 'visa',
    behaviour: { kind: 'decline', code: 'card_declined', declineCode: 'insufficient_funds' },
  },
  '4000000000000069': { brand: 'visa', behaviour: { kind: 'decline', code: 'expired_card' } },
  '4000002760003184': { brand: 'visa', behaviour: { kind: '3ds' } },
  '4000002500003155': { brand: 'visa', behaviour: { kind: '3ds' } },
  '4000000000003220': { brand: 'visa', behaviour: { kind: '3ds' } },
  '4000000000005126': { brand: 'visa', behaviour: { kind: 'refund_pending' } },
};

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const cardError = (code: string, message: string, param?: string, declineCode?: string) =>
  stripeError(402, {
    type: 'card_error',
    code,
    message,
    ...(param ? { param } : {}),
    ...(declineCode ? { decline_code: declineCode } : {}),
  });

export interface FakeMethods {
  readonly methods: Map<string, PaymentMethod>;
  create(p: Params, now: number): { status: number; body: unknown };
  /** Brand, last4 and charge behaviour of a created method or one of Stripe's `pm_card_…` ids. */
  find(pmId: string): { brand: string; last4: string; behaviour: Behaviour } | undefined;
}

export function createFakeMethods(): FakeMethods {
  const methods = new Map<string, PaymentMethod>();
  const behaviours = new Map<string, Behaviour>();

  function create(p: Params, now: number) {
    if (str(p, 'type') !== 'card') {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'parameter_missing',
        param: 'type',
        message: 'Missing required param: type.',
      });
    }
    const card = (typeof p.card === 'object' && !Array.isArray(p.card) ? p.card : {}) as Params;
    const number = (str(card, 'number') ?? '').replace(/\s/g, '');
    const month = Number(str(card, 'exp_month'));
    const year = Number(str(card, 'exp_year'));
    const cvc = str(card, 'cvc') ?? '';
    if (!/^\d{12,19}$/.test(number) || !luhn(number)) {
      return cardError('incorrect_number', 'Your card number is incorrect.', 'number');
    }
    if (!Number.isInteger(month) || month < 1 || month > 12) {
      return cardError('invalid_expiry_month', "Your card's expiration month is invalid.", 'exp_month');
    }
    const fullYear = year < 100 ? 2000 + year : year;
    const d = new Date();
    if (
      !Number.isInteger(fullYear) ||
      fullYear < d.getUTCFullYear() ||
      (fullYear === d.getUTCFullYear() && month < d.getUTCMonth() + 1)
    ) {
      return cardError('invalid_expiry_year', "Your card's expiration year is invalid.", 'exp_year');
    }
    if (!/^\d{3,4}$/.test(cvc)) return cardError('invalid_cvc', "Your card's security code is invalid.", 'cvc');
    const test = TEST_CARDS[number];
    if (!test) {
      return cardError(
        'card_declined',
        'Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.',
        undefined,
        'test_mode_live_card',
      );
    }
    const billing = (
      typeof p.billing_details === 'object' && !Array.isArray(p.billing_details) ? p.billing_details : {}
    ) as Params;
    const address = (
      typeof billing.address === 'object' && !Array.isArray(billing.address) ? billing.address : {}
    ) as Params;
    const pm: PaymentMethod = {
      id: id('pm'),
      object: 'payment_method',
      type: 'card',
      card: {
        brand: test.brand,
        last4: number.slice(-4),
        exp_month: month,
        exp_year: fullYear,
        funding: 'credit',
        country: 'US',
      },
      billing_details: {
        name: str(billing, 'name') ?? null,
        email: str(billing, 'email') ?? null,
        phone: str(billing, 'phone') ?? null,
        address: Object.fromEntries(
          ['city', 'country', 'line1', 'line2', 'postal_code', 'state'].map((k) => [k, str(address, k) ?? null]),
        ),
      },
      created: now,
      customer: null,
      livemode: false,
      metadata: {},
    };
    methods.set(pm.id, pm);
    behaviours.set(pm.id, test.behaviour);
    return { status: 200, body: pm };
  }

  return {
    methods,
    create,
    find(pmId) {
      const made = methods.get(pmId);
      const behaviour = behaviours.get(pmId);
      if (made && behaviour) return { brand: made.card.brand, last4: made.card.last4, behaviour };
      return TEST_PAYMENT_METHODS[pmId];
    },
  };
}
