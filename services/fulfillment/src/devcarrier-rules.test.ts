import { describe, expect, it } from 'vitest';
import { labelUrl, nextStep, refusal, retryDelay } from './devcarrier-rules.ts';

const address = (country: string, postalCode: string) => ({
  name: 'Ada',
  line1: '1 Main St',
  city: 'Springfield',
  postalCode,
  country,
});

describe('the dev carrier', () => {
  const area = { refuseCountries: ['AQ'], refusePostalCodes: ['00000', 'ZZ9 9ZZ'] };
  it.each([
    ['US', '12345', false],
    ['AQ', '12345', true],
    ['US', '00000', true],
    ['GB', 'zz99zz', true],
    ['GB', 'ZZ9 9ZZ', true],
    ['GB', 'SW1A 1AA', false],
  ])('serves %s %s unless refused (%s)', (country, postal, refused) => {
    expect(refusal(address(country, postal), area) !== null).toBe(refused);
  });

  it.each([
    ['outbound', 'label_created', 'picked_up'],
    ['outbound', 'picked_up', 'in_transit'],
    ['outbound', 'in_transit', 'out_for_delivery'],
    ['outbound', 'out_for_delivery', 'delivered'],
    ['outbound', 'delivered', null],
    ['return', 'in_transit', 'delivered'],
    ['return', 'delivered', null],
    ['outbound', 'nonsense', null],
  ] as const)('%s parcels go from %s to %s', (kind, from, to) => {
    expect(nextStep(kind, from)).toBe(to);
  });

  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, 100))).toEqual([100, 200, 400, 800]);
    expect(retryDelay(50, 1_000)).toBe(300_000);
  });

  it('draws labels that fit the contract even with the longest, most escaped fields', () => {
    const worst = '&'.repeat(200);
    const url = labelUrl({ trackingNumber: 'DC0123456789ABCDEF', from: worst, to: worst, kind: 'return' });
    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(url.length).toBeLessThanOrEqual(2000);
    const svg = Buffer.from(url.split(',')[1] ?? '', 'base64').toString();
    expect(svg).toContain('DC0123456789ABCDEF');
    expect(svg).not.toContain('&&');
  });
});
