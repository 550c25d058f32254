import { describe, expect, it } from 'vitest';
import { brandOf, checkCard, luhnValid, TEST_CARDS } from './cards.ts';

const now = new Date('2026-06-15T00:00:00Z');
const card = (number: string, o: Partial<{ expMonth: number; expYear: number; cvc: string }> = {}) =>
  checkCard({ number, expMonth: 12, expYear: 2028, cvc: '123', ...o }, now);

describe('sandbox test cards', () => {
  it('every test number passes Luhn; a changed digit does not', () => {
    for (const n of Object.keys(TEST_CARDS)) expect(luhnValid(n), n).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(luhnValid('42424242')).toBe(false);
  });

  it.each([
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'],
  ])('%s is %s', (n, brand) => expect(brandOf(n)).toBe(brand));

  it.each([
    ['4242 4242 4242 4242', 'success'],
    ['4000-0000-0000-0002', 'card_declined'],
    ['4000000000009995', 'insufficient_funds'],
    ['4000002500003155', 'requires_3ds'],
    ['4000000000003220', 'requires_3ds'],
    ['4000000000000069', 'expired_card'],
    ['4000000000000119', 'processing_error'],
    ['4000000000005126', 'refund_fails'],
    ['4012888888881881', 'success'],
  ])('%s behaves as %s and keeps only brand and last4', (n, behaviour) => {
    const r = card(n);
    expect(r).toMatchObject({ ok: true, card: { behaviour, last4: n.replace(/\D/g, '').slice(-4) } });
    expect(JSON.stringify(r)).not.toContain(n.replace(/\D/g, ''));
  });

  it('refuses a bad number, a past expiry, a wrong CVC length — without echoing the number', () => {
    expect(card('4242424242424241')).toEqual({ ok: false, field: 'number', message: 'not a valid card number' });
    expect(card('4242424242424242', { expMonth: 5, expYear: 2026 })).toMatchObject({ ok: false, field: 'expYear' });
    expect(card('4242424242424242', { expMonth: 6, expYear: 26 }).ok).toBe(true);
    expect(card('4242424242424242', { expYear: 2099 })).toMatchObject({ ok: false, field: 'expYear' });
    expect(card('4242424242424242', { cvc: '1234' })).toMatchObject({ ok: false, field: 'cvc' });
    expect(card('378282246310005', { cvc: '123' })).toMatchObject({ ok: false, field: 'cvc' });
    expect(card('378282246310005', { cvc: '1234' }).ok).toBe(true);
  });
});
