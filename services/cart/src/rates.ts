import { z } from '@storefront/kit';

/**
 * The shipping and tax tables, configurable per installation (SHIPPING_OPTIONS, TAX_RATES as
 * JSON). Pure lookups; the defaults below are what `npm start` and the tests use.
 *
 * Tax model (one, for every region): catalog prices are **net** (tax-exclusive). Tax is added on
 * top at the rate of the shipping address's region, per line, after discounts; shipping is taxed
 * where the region says so.
 */

const Amount = z.number().int().min(0).max(100_000_000);
const CurrencyCode = z.string().regex(/^[A-Z]{3}$/);

export const ShippingOptionSchema = z.object({
  name: z.string().min(1).max(100),
  /** Per currency: the price, and the discounted merchandise total from which it is free. */
  prices: z.record(CurrencyCode, z.object({ amount: Amount, freeOver: Amount.optional() })),
});
export const ShippingTableSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/), ShippingOptionSchema)
  .refine((t) => Object.keys(t).length >= 1 && Object.keys(t).length <= 20, '1 to 20 options');
export type ShippingTable = z.infer<typeof ShippingTableSchema>;

export const TaxRateSchema = z.object({
  /** Basis points: 725 = 7.25 %. */
  rateBp: z.number().int().min(0).max(10_000),
  shippingTaxable: z.boolean().default(false),
});
export type TaxRate = z.infer<typeof TaxRateSchema>;
/** Keys: ISO 3166-1 country ("DE") or country-subdivision ("US-CA"); a subdivision falls back to its country. */
export const TaxTableSchema = z.record(z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/), TaxRateSchema);
export type TaxTable = z.infer<typeof TaxTableSchema>;

export const DEFAULT_SHIPPING: ShippingTable = {
  standard: {
    name: 'Standard (3–5 working days)',
    prices: {
      USD: { amount: 599, freeOver: 5000 },
      EUR: { amount: 499, freeOver: 5000 },
      GBP: { amount: 450, freeOver: 4000 },
    },
  },
  express: {
    name: 'Express (next working day)',
    prices: { USD: { amount: 1999 }, EUR: { amount: 1499 }, GBP: { amount: 1299 } },
  },
  pickup: { name: 'Pick up in store', prices: { USD: { amount: 0 }, EUR: { amount: 0 }, GBP: { amount: 0 } } },
};

export const DEFAULT_TAX: TaxTable = {
  US: { rateBp: 0, shippingTaxable: false },
  'US-CA': { rateBp: 725, shippingTaxable: false },
  'US-NY': { rateBp: 400, shippingTaxable: true },
  'US-TX': { rateBp: 625, shippingTaxable: true },
  'US-WA': { rateBp: 650, shippingTaxable: true },
  'US-OR': { rateBp: 0, shippingTaxable: false },
  DE: { rateBp: 1900, shippingTaxable: true },
  FR: { rateBp: 2000, shippingTaxable: true },
  NL: { rateBp: 2100, shippingTaxable: true },
  IE: { rateBp: 2300, shippingTaxable: true },
  GB: { rateBp: 2000, shippingTaxable: true },
};

export function taxRateFor(table: TaxTable, region: string): TaxRate | null {
  return table[region] ?? table[region.split('-')[0] ?? ''] ?? null;
}

export interface ShippingQuote {
  readonly id: string;
  readonly name: string;
  /** Before the free-over threshold and free-shipping promotions. */
  readonly price: number;
  readonly freeOver: number | null;
}

/** The options sold in a currency, in table order. */
export function shippingOptionsFor(table: ShippingTable, currency: string): ShippingQuote[] {
  return Object.entries(table).flatMap(([id, o]) => {
    const p = o.prices[currency];
    return p ? [{ id, name: o.name, price: p.amount, freeOver: p.freeOver ?? null }] : [];
  });
}
