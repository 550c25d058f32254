import { describe, expect, it } from 'vitest';
import { decideStaffRefund, netOfRefunds } from './refund-rules.ts';
import type { Saga, SagaData } from './saga-machine.ts';

const data: SagaData = {
  reservationId: 'r',
  paymentId: 'p',
  stock: 'committed',
  payment: 'captured',
  shipment: 'created',
  allocations: [],
};
const saga = (step: Saga['step'], d: Partial<SagaData> = {}): Saga => ({
  orderId: 'o',
  step,
  state: step === 'confirmed' || step === 'cancelled' ? 'done' : 'running',
  attempts: 0,
  version: 1,
  data: { ...data, ...d },
});
const order = (refunded = 0) => ({
  totals: { subtotal: 900, discount: 0, shipping: 100, tax: 0, total: 1_000 },
  refunded,
});

describe('staff refund rules', () => {
  it.each<[string, Saga, number, number, number | undefined, ReturnType<typeof decideStaffRefund>]>([
    ['all of a confirmed order', saga('confirmed'), 0, 0, undefined, { do: 'refund', amount: 1_000 }],
    ['part of it', saga('confirmed'), 0, 0, 250, { do: 'refund', amount: 250 }],
    ['the rest after a refund', saga('confirmed'), 300, 0, undefined, { do: 'refund', amount: 700 }],
    ['the rest net of refunds in flight', saga('confirmed'), 300, 200, undefined, { do: 'refund', amount: 500 }],
    ['more than is left', saga('confirmed'), 300, 200, 501, { do: 'exceeds', refundable: 500 }],
    [
      'a cancelled order whose refund gave up',
      saga('cancelled', { refundFailed: true }),
      0,
      0,
      10,
      { do: 'refund', amount: 10 },
    ],
    [
      'nothing captured',
      saga('cancelled', { payment: 'voided' }),
      0,
      0,
      undefined,
      { do: 'refuse', why: 'nothing was captured on this order' },
    ],
    [
      'the saga still runs',
      saga('shipping'),
      0,
      0,
      undefined,
      { do: 'refuse', why: 'the order is still being processed' },
    ],
    ['all refunded', saga('confirmed'), 1_000, 0, 1, { do: 'refuse', why: 'everything was refunded' }],
    ['the rest in flight', saga('confirmed'), 600, 400, 1, { do: 'refuse', why: 'the rest is being refunded already' }],
  ])('%s', (_, s, refunded, pending, asked, expected) => {
    expect(decideStaffRefund(order(refunded), s, pending, asked)).toEqual(expected);
  });

  it('a cancellation of a fully refunded order has no refund step; a partial one refunds the rest', () => {
    expect(netOfRefunds(saga('confirmed'), order(1_000)).data.payment).toBe('refunded');
    expect(netOfRefunds(saga('confirmed'), order(999)).data.payment).toBe('captured');
  });
});
