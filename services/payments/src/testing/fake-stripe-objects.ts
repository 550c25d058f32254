import { randomBytes } from 'node:crypto';

/**
 * The fake Stripe's data: PaymentIntents and Refunds shaped like the API's (only the fields our
 * code and the SDK read), the test PaymentMethods it knows, and its form-body decoding.
 */
export type Params = { [k: string]: string | Params | Params[] | string[] };

/** `a[b][0]=x` → `{ a: { b: ['x'] } }` (and `a[]=x&a[]=y` → `{ a: ['x', 'y'] }`), as Stripe decodes form bodies. */
export function decodeForm(body: string): Params {
  const root: Params = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node: Record<string, unknown> = root;
    path.forEach((part, i) => {
      if (i === path.length - 1 && key.endsWith('[]')) {
        const list = Array.isArray(node[part]) ? (node[part] as string[]) : [];
        node[part] = [...list, value];
      } else if (i === path.length - 1) node[part] = value;
      else {
        node[part] ??= {};
        node = node[part] as Record<string, unknown>;
      }
    });
  }
  return arrays(root) as Params;
}

function arrays(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, arrays(x)] as const);
  if (entries.length > 0 && entries.every(([k]) => /^[0-9]+$/.test(k))) return entries.map(([, x]) => x);
  return Object.fromEntries(entries);
}

export const str = (p: Params, k: string): string | undefined => (typeof p[k] === 'string' ? p[k] : undefined);
export const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'decline'; code: string; declineCode?: string }
  | { kind: '3ds' }
  | { kind: 'refund_pending' };

/** Stripe's test PaymentMethods (the ids Stripe itself accepts in test mode). */
export const TEST_PAYMENT_METHODS: Record<string, { brand: string; last4: string; behaviour: Behaviour }> = {
  pm_card_visa: { brand: 'visa', last4: '4242', behaviour: { kind: 'ok' } },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', behaviour: { kind: 'ok' } },
  pm_card_chargeDeclined: {
    brand: 'visa',
    last4: '0002',
    behaviour: { kind: 'decline', code: 'card_declined', declineCode: 'generic_decline' },
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    behaviour: { kind: 'decline', code: 'card_declined', declineCode: 'insufficient_funds' },
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: 'visa',
    last4: '0069',
    behaviour: { kind: 'decline', code: 'expired_card' },
  },
  pm_card_authenticationRequired: { brand: 'visa', last4: '3155', behaviour: { kind: '3ds' } },
  pm_card_threeDSecure2Required: { brand: 'visa', last4: '3220', behaviour: { kind: '3ds' } },
  pm_card_refundFail: { brand: 'visa', last4: '5126', behaviour: { kind: 'refund_pending' } },
};

export interface Intent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: string;
  capture_method: string;
  payment_method: string;
  metadata: Record<string, string>;
  next_action: null | { type: 'redirect_to_url'; redirect_to_url: { url: string; return_url: string } };
  last_payment_error: null | { type: 'card_error'; code: string; decline_code?: string; message: string };
  client_secret: string;
  created: number;
  /** Refunded so far (not a Stripe field; kept off the wire). */
  refunded: number;
}

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  status: string;
  payment_intent: string;
  metadata: Record<string, string>;
  failure_reason: string | null;
  created: number;
}

/** Stripe's `pm_card_…` test ids as the API shows them (only the fields our code reads). */
export function testMethodJson(pmId: string): Record<string, unknown> | undefined {
  const pm = TEST_PAYMENT_METHODS[pmId];
  return pm && { id: pmId, object: 'payment_method', type: 'card', card: { brand: pm.brand, last4: pm.last4 } };
}

/** An intent as the API answers it; `expand[]=payment_method` inlines the method. */
export function intentJson(
  i: Intent,
  expand: readonly string[] = [],
  method: (pmId: string) => unknown = testMethodJson,
): Record<string, unknown> {
  const { refunded: _refunded, ...wire } = i;
  const pm = method(i.payment_method);
  if (!expand.includes('payment_method') || !pm) return wire;
  return { ...wire, payment_method: pm };
}

export function stripeError(
  status: number,
  error: {
    type: string;
    code?: string;
    message: string;
    param?: string;
    decline_code?: string;
    payment_intent?: unknown;
  },
) {
  return { status, body: { error } };
}
