import { describe, expect, it } from 'vitest';
import {
  canMove,
  decideAuthorize,
  decideCapture,
  decideRefund,
  decideVoid,
  PAYMENT_STATES,
  type Payment,
  type PaymentState,
  type Refund,
  stateAfterRefund,
} from './domain.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const payment = (state: PaymentState, o: Partial<Payment> = {}): Payment => ({
  id: 'p1',
  orderId: 'o1',
  customerId: 'c1',
  provider: 'sandbox',
  providerRef: 'si_1',
  state,
  amount: usd(1_000),
  captured: ['captured', 'partially_refunded', 'refunded'].includes(state) ? 1_000 : 0,
  refunded: 0,
  paymentMethod: 'pm_sandbox_x',
  card: null,
  returnUrl: 'https://shop.test/r',
  actionUrl: null,
  decline: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...o,
});

describe('the state machine', () => {
  it('moves only along its edges; final states have none', () => {
    const edges = PAYMENT_STATES.flatMap((from) =>
      PAYMENT_STATES.filter((to) => canMove(from, to)).map((to) => `${from}→${to}`),
    );
    expect(edges).toEqual([
      'pending→requires_action',
      'pending→authorized',
      'pending→declined',
      'requires_action→authorized',
      'requires_action→voided',
      'requires_action→declined',
      'authorized→captured',
      'authorized→voided',
      'authorized→failed',
      'captured→partially_refunded',
      'captured→refunded',
      'partially_refunded→partially_refunded',
      'partially_refunded→refunded',
    ]);
  });

  it.each<[PaymentState | 'none', string]>([
    ['none', 'refuse'],
    ['requires_action', 'refuse'],
    ['authorized', 'capture'],
    ['captured', 'replay'],
    ['partially_refunded', 'ignore'],
    ['refunded', 'ignore'],
    ['voided', 'refuse'],
    ['declined', 'refuse'],
    ['failed', 'refuse'],
  ])('capture when %s → %s', (state, expected) => {
    expect(decideCapture(state === 'none' ? undefined : payment(state), usd(1_000)).do).toBe(expected);
  });

  it('capture refuses another currency or more than authorized, accepts less', () => {
    expect(decideCapture(payment('authorized'), { amount: 1_000, currency: 'EUR' }).do).toBe('refuse');
    expect(decideCapture(payment('authorized'), usd(1_001)).do).toBe('refuse');
    expect(decideCapture(payment('authorized'), usd(0)).do).toBe('refuse');
    expect(decideCapture(payment('authorized'), usd(999)).do).toBe('capture');
  });

  it.each<[PaymentState | 'none', string]>([
    ['none', 'nothing'],
    ['requires_action', 'void'],
    ['authorized', 'void'],
    ['voided', 'replay'],
    ['declined', 'nothing'],
    ['failed', 'nothing'],
    ['captured', 'refuse'],
    ['refunded', 'refuse'],
  ])('void when %s → %s', (state, expected) => {
    expect(decideVoid(state === 'none' ? undefined : payment(state)).do).toBe(expected);
  });

  it('authorize: new, replay of a reached outcome, ignore once moved on, refuse a reused id', () => {
    const cmd = { orderId: 'o1', amount: usd(1_000), returnUrl: 'https://shop.test/r' };
    expect(decideAuthorize(undefined, cmd).do).toBe('authorize');
    for (const s of ['requires_action', 'authorized', 'declined', 'failed'] as const) {
      expect(decideAuthorize(payment(s), cmd).do).toBe('replay');
    }
    expect(decideAuthorize(payment('captured'), cmd).do).toBe('ignore');
    expect(decideAuthorize(payment('authorized'), { ...cmd, amount: usd(999) }).do).toBe('refuse');
    expect(decideAuthorize(payment('authorized'), { ...cmd, orderId: 'o2' }).do).toBe('refuse');
    expect(decideAuthorize(undefined, { ...cmd, amount: usd(0) }).do).toBe('refuse');
    expect(decideAuthorize(undefined, { ...cmd, returnUrl: 'javascript:alert(1)' }).do).toBe('refuse');
  });

  it('refund: budget is captured − refunded − pending; repeats replay or wait; a reused id is refused', () => {
    const cmd = (amount: number) => ({ paymentId: 'p1', amount: usd(amount) });
    const p = payment('partially_refunded', { refunded: 300 });
    expect(decideRefund(p, undefined, 200, cmd(500)).do).toBe('refund');
    expect(decideRefund(p, undefined, 200, cmd(501))).toEqual({
      do: 'fail',
      why: 'refund exceeds the refundable amount (500)',
    });
    expect(decideRefund(payment('authorized'), undefined, 0, cmd(1)).do).toBe('fail');
    expect(decideRefund(undefined, undefined, 0, cmd(1)).do).toBe('fail');
    expect(decideRefund(p, undefined, 0, { paymentId: 'p1', amount: { amount: 1, currency: 'EUR' } }).do).toBe('fail');
    const r = (state: Refund['state']): Refund => ({
      id: 'r1',
      paymentId: 'p1',
      amount: usd(100),
      state,
      providerRef: null,
      reason: 'x',
      failure: null,
      createdAt: new Date(0),
    });
    expect(decideRefund(p, r('succeeded'), 0, cmd(100)).do).toBe('replay');
    expect(decideRefund(p, r('failed'), 0, cmd(100)).do).toBe('replay');
    expect(decideRefund(p, r('pending'), 0, cmd(100)).do).toBe('ignore');
    expect(decideRefund(p, r('succeeded'), 0, cmd(200)).do).toBe('refuse');
  });

  it('a refund leaves the payment partially or fully refunded', () => {
    expect(stateAfterRefund(1_000, 999)).toBe('partially_refunded');
    expect(stateAfterRefund(1_000, 1_000)).toBe('refunded');
  });
});
