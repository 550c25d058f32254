import { expect, describe as group, it } from 'vitest';
import { canRead, planCancel, type ReportedStatus, type ShipmentStatus, trackingEffect } from './domain.ts';

group('trackingEffect: tracking only moves forward', () => {
  const cases: [ShipmentStatus, ReportedStatus, boolean, boolean][] = [
    // current, reported, move, emit
    ['label_created', 'picked_up', true, true],
    ['label_created', 'in_transit', true, true],
    ['picked_up', 'in_transit', true, true],
    ['in_transit', 'out_for_delivery', true, true],
    ['out_for_delivery', 'delivered', true, true],
    ['label_created', 'delivered', true, true],
    ['in_transit', 'picked_up', false, false],
    ['out_for_delivery', 'label_created', false, false],
    ['in_transit', 'in_transit', false, false],
    ['in_transit', 'exception', false, true],
    ['in_transit', 'cancelled', true, true],
    ['delivered', 'in_transit', false, false],
    ['delivered', 'delivered', false, false],
    ['delivered', 'exception', false, false],
    ['cancelled', 'picked_up', false, false],
    ['cancelled', 'cancelled', false, false],
  ];
  it.each(cases)('%s + %s → move %s, emit %s', (current, reported, move, emit) => {
    const e = trackingEffect(current, reported);
    expect([e.move, e.emit]).toEqual([move, emit]);
    if (!move && !emit) expect(e.note).toBeTruthy();
  });
});

group('planCancel: all or nothing, only before pickup', () => {
  const s = (id: string, status: ShipmentStatus) => ({ id, status });
  it('cancels every parcel still at label_created', () => {
    expect(planCancel([s('a', 'label_created'), s('b', 'label_created')])).toEqual({ cancel: ['a', 'b'] });
  });
  it('skips parcels already cancelled (a re-sent cancel)', () => {
    expect(planCancel([s('a', 'cancelled'), s('b', 'label_created')])).toEqual({ cancel: ['b'] });
  });
  it.each<ShipmentStatus>(['picked_up', 'in_transit', 'out_for_delivery', 'delivered'])(
    'refuses the whole order when one parcel is %s',
    (status) => {
      const plan = planCancel([s('a', 'label_created'), s('b', status)]);
      expect(plan.cancel).toEqual([]);
      expect(plan.refused).toContain(status);
    },
  );
});

group('canRead', () => {
  it.each([
    [{ kind: 'staff' } as const, null, true],
    [{ kind: 'staff' } as const, 'c-1', true],
    [{ kind: 'customer', id: 'c-1' } as const, 'c-1', true],
    [{ kind: 'customer', id: 'c-1' } as const, 'c-2', false],
    [{ kind: 'customer', id: 'c-1' } as const, null, false],
  ])('%o reading a shipment of %s → %s', (reader, customerId, ok) => {
    expect(canRead(reader, { customerId })).toBe(ok);
  });
});
