/**
 * The sandbox's test cards, pure. The number picks a behaviour (Stripe's test numbers where
 * Stripe has one) and is then forgotten: only brand, last four digits and the behaviour are kept.
 */
export const BEHAVIOURS = [
  'success',
  'card_declined',
  'insufficient_funds',
  'expired_card',
  'requires_3ds',
  'processing_error',
  'refund_fails',
] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export const TEST_CARDS: Readonly<Record<string, Behaviour>> = {
  '4242424242424242': 'success',
  '5555555555554444': 'success',
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000069': 'expired_card',
  '4000002500003155': 'requires_3ds',
  '4000000000003220': 'requires_3ds',
  // Stripe declines this one; here it is a transient failure (unknown outcome) that a retry gets past.
  '4000000000000119': 'processing_error',
  // Like Stripe's: the charge succeeds, a refund of it fails asynchronously.
  '4000000000005126': 'refund_fails',
};

export function luhnValid(digits: string): boolean {
  if (!/^[0-9]{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function brandOf(digits: string): string {
  if (/^4/.test(digits)) return 'visa';
  if (/^(5[1-5]|222[1-9]|22[3-9]|2[3-6]|27[01]|2720)/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'discover';
  return 'unknown';
}

export interface CardInput {
  readonly number: string;
  readonly expMonth: number;
  readonly expYear: number;
  readonly cvc: string;
}

export interface CheckedCard {
  readonly brand: string;
  readonly last4: string;
  readonly expMonth: number;
  readonly expYear: number;
  readonly behaviour: Behaviour;
}

export type CardCheck =
  | { readonly ok: true; readonly card: CheckedCard }
  | { readonly ok: false; readonly field: keyof CardInput; readonly message: string };

/** Messages never contain the number: they end up in problem documents and logs. */
export function checkCard(input: CardInput, now: Date): CardCheck {
  const digits = input.number.replace(/[\s-]/g, '');
  if (!luhnValid(digits)) return { ok: false, field: 'number', message: 'not a valid card number' };
  const brand = brandOf(digits);
  const year = input.expYear < 100 ? 2000 + input.expYear : input.expYear;
  const thisYear = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  if (year < thisYear || (year === thisYear && input.expMonth < month)) {
    return { ok: false, field: 'expYear', message: 'the card has expired' };
  }
  if (year > thisYear + 20) return { ok: false, field: 'expYear', message: 'the expiry year is too far ahead' };
  const cvcLength = brand === 'amex' ? 4 : 3;
  if (!new RegExp(`^[0-9]{${cvcLength}}$`).test(input.cvc)) {
    return { ok: false, field: 'cvc', message: `the security code has ${cvcLength} digits` };
  }
  return {
    ok: true,
    card: {
      brand,
      last4: digits.slice(-4),
      expMonth: input.expMonth,
      expYear: year,
      behaviour: TEST_CARDS[digits] ?? 'success',
    },
  };
}
