import { describe, expect, expectTypeOf, it } from 'vitest';
import { domainOf, type EventPayload, eventCatalog, isSubject, subjects } from './events.ts';

describe('event catalog', () => {
  it('names every subject <domain>.<event>.v<N>', () => {
    for (const s of subjects) expect(s).toMatch(/^[a-z]+\.[a-z-]+\.v\d+$/);
    expect(domainOf('product.created.v1')).toBe('product');
    expect(isSubject('product.created.v1')).toBe(true);
    expect(isSubject('product.created.v9')).toBe(false);
  });

  it('rejects a wrong payload at parse time and types it at compile time', () => {
    const schema = eventCatalog['product.price-changed.v1'];
    expect(schema.safeParse({ productId: 'x', sku: 'a', currency: 'usd', amount: 1.5 }).success).toBe(false);
    expectTypeOf<EventPayload<'kit.ping.v1'>>().toEqualTypeOf<{ n: number; note?: string | undefined }>();
  });
});
