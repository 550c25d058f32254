import { describe, expect, it } from 'vitest';
import { compensationPlan, decide, type Outcome, redrive, type Saga, type SagaData } from './saga-machine.ts';

const base: SagaData = {
  reservationId: 'r',
  paymentId: 'p',
  stock: 'requested',
  payment: 'none',
  shipment: 'none',
  allocations: [],
};
const saga = (step: Saga['step'], data: Partial<SagaData> = {}, attempts = 0): Saga => ({
  orderId: 'o',
  step,
  state:
    step === 'confirmed' || step === 'cancelled'
      ? 'done'
      : ['cancelling_shipment', 'refunding', 'voiding', 'releasing'].includes(step)
        ? 'compensating'
        : 'running',
  attempts,
  version: 1,
  data: { ...base, ...data },
});
const refund = () => 'refund-1';

describe('saga machine', () => {
  it.each<[Saga['step'], Partial<SagaData>, Outcome, string | null, string[]]>([
    ['reserving', {}, { kind: 'reserved', allocations: [] }, 'authorizing', ['authorize']],
    ['reserving', {}, { kind: 'reservation_failed', reason: 'out of stock: X' }, 'cancelled', []],
    ['reserving', {}, { kind: 'timeout' }, 'releasing', ['release']],
    ['authorizing', { stock: 'reserved', payment: 'requested' }, { kind: 'authorized' }, 'committing', ['commit']],
    [
      'authorizing',
      { stock: 'reserved', payment: 'requested' },
      { kind: 'declined', reason: 'card declined' },
      'releasing',
      ['release'],
    ],
    ['authorizing', { stock: 'reserved', payment: 'requested' }, { kind: 'timeout' }, 'voiding', ['void']],
    ['committing', { stock: 'reserved', payment: 'authorized' }, { kind: 'committed' }, 'capturing', ['capture']],
    [
      'committing',
      { stock: 'reserved', payment: 'authorized' },
      { kind: 'commit_failed', reason: 'expired' },
      'voiding',
      ['void'],
    ],
    ['capturing', { stock: 'committed', payment: 'authorized' }, { kind: 'captured' }, 'shipping', ['ship']],
    [
      'shipping',
      { stock: 'committed', payment: 'captured', shipment: 'requested' },
      { kind: 'shipment_created' },
      'confirmed',
      [],
    ],
    [
      'shipping',
      { stock: 'committed', payment: 'captured', shipment: 'requested' },
      { kind: 'shipment_failed', reason: 'refused' },
      'refunding',
      ['refund'],
    ],
    [
      'shipping',
      { stock: 'committed', payment: 'captured', shipment: 'requested' },
      { kind: 'timeout' },
      'cancelling_shipment',
      ['cancel_shipment'],
    ],
    // Duplicates and late answers are ignored…
    ['committing', { stock: 'reserved', payment: 'authorized' }, { kind: 'authorized' }, null, []],
    ['confirmed', { shipment: 'created' }, { kind: 'captured' }, null, []],
    ['committing', {}, { kind: 'timeout' }, null, []],
    // …except money or stock that shows up after the end, which is given back.
    ['cancelled', { payment: 'voided' }, { kind: 'authorized' }, 'cancelled', ['void']],
    ['cancelled', { payment: 'voided' }, { kind: 'captured' }, 'cancelled', ['refund']],
    ['cancelled', { stock: 'released' }, { kind: 'reserved', allocations: [] }, 'cancelled', ['release']],
    ['voiding', { payment: 'voided' }, { kind: 'authorized' }, 'voiding', ['void']],
  ])('%s + %o + %o → %s', (step, data, outcome, next, commands) => {
    const d = decide(saga(step, data), outcome, refund);
    expect(d?.step ?? null).toBe(next);
    if (d) expect(d.commands).toEqual(commands);
  });

  it('compensates newest first', () => {
    expect(compensationPlan({ ...base, stock: 'committed', payment: 'captured', shipment: 'created' })).toEqual([
      'cancelling_shipment',
      'refunding',
      'releasing',
      'cancelled',
    ]);
    expect(compensationPlan({ ...base, stock: 'failed' })).toEqual(['cancelled']);
  });

  it('a cancel during capture waits for its answer, then compensates with a refund', () => {
    const s = saga('capturing', { stock: 'committed', payment: 'authorized' });
    const waiting = decide(s, { kind: 'cancel', reason: 'by staff' }, refund);
    expect(waiting).toMatchObject({ step: 'capturing', commands: [] });
    const after = decide({ ...s, data: waiting?.data ?? s.data }, { kind: 'captured' }, refund);
    expect(after).toMatchObject({ step: 'refunding', commands: ['refund'] });
  });

  it('the first failure reason is the one the customer sees', () => {
    const d = decide(
      saga('authorizing', { stock: 'reserved', payment: 'requested' }),
      { kind: 'declined', reason: 'card declined: insufficient funds' },
      refund,
    );
    expect(d?.data.cancelReason).toBe('card declined: insufficient funds');
  });

  it('a staff cancel the carrier keeps refusing is given up: the order stays confirmed', () => {
    const s = saga(
      'cancelling_shipment',
      { wasConfirmed: true, shipment: 'created', payment: 'captured', stock: 'committed' },
      3,
    );
    expect(redrive(s, 3)).toMatchObject({ step: 'confirmed', status: 'confirmed' });
    expect(redrive({ ...s, attempts: 1 }, 3)).toMatchObject({
      step: 'cancelling_shipment',
      commands: ['cancel_shipment'],
    });
  });
});
