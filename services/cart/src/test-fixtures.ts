import type { EvalLine, Promotion } from './domain-promotions.ts';

/** Builders for the table-driven domain tests: a promotion with every field defaulted, a line. */
let n = 0;
export function promo(p: Partial<Promotion> & Pick<Promotion, 'effect'>): Promotion {
  n++;
  const id = `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    code: null,
    name: `promo ${n}`,
    currency: null,
    minSubtotal: null,
    productIds: [],
    categoryIds: [],
    customerOnly: false,
    startsAt: null,
    endsAt: null,
    usageLimit: null,
    perCustomerLimit: null,
    usedCount: 0,
    active: true,
    createdAt: `2025-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...p,
  };
}

export function line(unitPrice: number, quantity = 1, productId = 'p-other', categoryIds: string[] = []): EvalLine {
  return { sku: `SKU-${productId}-${unitPrice}`, productId, categoryIds, unitPrice, quantity };
}
