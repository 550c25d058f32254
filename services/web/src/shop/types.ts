import type { Order } from '../order-types.ts';

/** The shapes of the public API answers the shop pages read (the fields they use). */

export interface MoneyValue {
  readonly amount: number;
  readonly currency: string;
}

export interface Rating {
  readonly count: number;
  readonly average: number | null;
}

export interface ListItem {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly brand: string | null;
  readonly image: string | null;
  readonly price: MoneyValue | null;
  readonly rating: Rating;
  /** Present once the catalog reports stock on search results. */
  readonly inStock?: boolean;
}

export interface SearchResult {
  readonly query: { readonly q: string; readonly corrected: string | null; readonly matched: 'all' | 'any' };
  readonly total: number;
  readonly items: readonly ListItem[];
  readonly nextCursor: string | null;
  readonly facets: {
    readonly categories: readonly { slug: string; name: string; path: string; count: number }[];
    readonly brands: readonly { slug: string; name: string; count: number }[];
    readonly price: {
      readonly currency: string;
      readonly buckets: readonly { min: number; max: number | null; count: number }[];
    };
    readonly attributes: readonly { key: string; values: readonly { value: string; count: number }[] }[];
    /** How many results are in stock; only when the catalog supports the `inStock` filter. */
    readonly inStock?: number;
  };
}

export interface CategoryNode {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly path: string;
  readonly children: readonly CategoryNode[];
}

export interface Variant {
  readonly id: string;
  readonly sku: string;
  readonly options: Record<string, string>;
  readonly position: number;
  readonly prices: readonly { currency: string; amount: number; compareAt: number | null }[];
  readonly inStock?: boolean;
}

export interface Product {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly brand: { id: string; slug: string; name: string } | null;
  readonly category: {
    id: string;
    slug: string;
    name: string;
    path: string;
    trail: readonly { slug: string; name: string }[];
  } | null;
  readonly attributes: Record<string, string>;
  readonly images: readonly { url: string; alt: string }[];
  readonly variants: readonly Variant[];
  readonly rating: Rating;
}

export interface Review {
  readonly id: string;
  readonly author: string;
  readonly rating: number;
  readonly title: string;
  readonly body: string;
  readonly createdAt: string;
}

export interface Availability {
  readonly sku: string;
  readonly available: number;
  readonly locations: readonly {
    code: string;
    name: string;
    kind: 'warehouse' | 'store';
    pickupEnabled: boolean;
    available: number;
  }[];
}

export interface CartLine {
  readonly sku: string;
  readonly productId: string;
  readonly slug: string | null;
  readonly name: string | null;
  readonly image: string | null;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly seenUnitPrice: number;
  readonly priceChanged: boolean;
  readonly available: boolean;
  readonly subtotal: number;
  readonly discount: number;
  readonly total: number;
  readonly tax: number | null;
}

export interface Cart {
  readonly id: string;
  readonly status: 'open' | 'merged' | 'ordered';
  /** While `ordered`: the order placed from the cart (it opens again if that order is cancelled). */
  readonly orderId?: string | null;
  readonly owner: 'guest' | 'customer';
  readonly currency: string;
  readonly pricing: 'live' | 'stale';
  readonly lines: readonly CartLine[];
  readonly priceChanges: number;
  readonly code: { code: string; applied: boolean; reasonCode: string | null; reason: string | null } | null;
  readonly promotions: readonly {
    id: string;
    code: string | null;
    name: string;
    kind: string;
    discount: number;
    shippingDiscount: number;
  }[];
  readonly shippingOptions: readonly { id: string; name: string; price: number; amount: number }[];
  readonly shippingOption: string | null;
  readonly taxRegion: string | null;
  readonly totals: {
    subtotal: number;
    lineDiscount: number;
    orderDiscount: number;
    discount: number;
    merchandise: number;
    shipping: number | null;
    tax: number | null;
    total: number | null;
    estimatedTotal: number;
  };
}

/** The order itself is the orders API's, shared with the staff pages. */
export type { Order, OrderStatus } from '../order-types.ts';

export interface CheckoutAnswer {
  readonly order: Order;
  readonly statusUrl: string;
  readonly orderToken: string | null;
  readonly replayed: boolean;
}
