/** The state and answer helpers of the operations pages' fake API (see ops-test-kit.ts). */

export interface Call {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies.
  readonly body: any;
}

export const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
export const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) =>
  json(status, { type: `https://storefront.dev/problems/${code}`, title: 'Problem', status, code, detail, ...extra });

export const ORDER_ID = '0199a83f-8840-7236-b5b8-ba24de364311';
export const RETURN_ID = '0199a83f-9999-7236-b5b8-ba24de364311';
export const CUSTOMER_ID = '0199a83f-1111-7236-b5b8-ba24de364311';
export const STAFF_ID = 'acct-1';

export const LOCATIONS = [
  {
    code: 'wh-east',
    name: 'East warehouse',
    kind: 'warehouse',
    address: { line1: '1 Dock Rd', city: 'Newark', postalCode: '07101', country: 'US' },
    pickupEnabled: false,
    priority: 10,
  },
  {
    code: 'store-soho',
    name: 'SoHo store',
    kind: 'store',
    address: { line1: '9 Prince St', city: 'New York', postalCode: '10012', country: 'US' },
    pickupEnabled: true,
    priority: 100,
  },
];

export function order(over: Record<string, unknown> = {}) {
  return {
    id: ORDER_ID,
    number: 'SF-0199A83F8840',
    status: 'confirmed',
    statusReason: null,
    actionUrl: null,
    customerId: CUSTOMER_ID,
    email: 'ada@example.test',
    currency: 'USD',
    lines: [
      {
        sku: 'HP-1-BLK',
        productId: 'p1',
        name: 'Headphones <b>Pro</b>',
        quantity: 2,
        unitPrice: 2500,
        subtotal: 5000,
        discount: 0,
        total: 5000,
        tax: 0,
      },
    ],
    promotions: [],
    totals: { subtotal: 5000, discount: 0, shipping: 500, tax: 0, total: 5500 },
    refunded: 0,
    address: {
      name: 'Ada L',
      line1: '1 Market St',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94105',
      country: 'US',
    },
    shippingMethod: 'standard',
    shipments: [],
    createdAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
    confirmedAt: '2025-03-01T10:01:00.000Z',
    cancelledAt: null,
    shippedAt: null,
    deliveredAt: null,
    ...over,
  };
}

export interface FakeState {
  stock: { sku: string; location: string; onHand: number; reserved: number; lowThreshold: number }[];
  locations: typeof LOCATIONS;
  order: ReturnType<typeof order>;
  refunds: { id: string; key: string; amount: number; status: string; reason: string }[];
  notes: { id: number; author: string; body: string; createdAt: string }[];
  returns: Record<string, unknown>[];
  accounts: Record<string, unknown>[];
  /** Force an answer for "METHOD /path" (checked before the fake's own logic). */
  override: Map<string, () => Response>;
}

export function fakeState(): FakeState {
  return {
    stock: [
      { sku: 'HP-1-BLK', location: 'wh-east', onHand: 3, reserved: 0, lowThreshold: 2 },
      { sku: 'HP-1-BLK', location: 'store-soho', onHand: 0, reserved: 0, lowThreshold: 1 },
      { sku: 'MUG-2', location: 'wh-east', onHand: 40, reserved: 5, lowThreshold: 5 },
    ],
    locations: structuredClone(LOCATIONS),
    order: order(),
    refunds: [],
    notes: [{ id: 1, author: STAFF_ID, body: 'Called the <customer>', createdAt: '2025-03-01T11:00:00.000Z' }],
    returns: [
      {
        id: RETURN_ID,
        orderId: ORDER_ID,
        orderNumber: 'SF-0199A83F8840',
        currency: 'USD',
        status: 'requested',
        lines: [{ sku: 'HP-1-BLK', qty: 1, reason: 'damaged' }],
        label: null,
        refundAmount: null,
        restocked: false,
        createdAt: '2025-03-05T10:00:00.000Z',
        // Only on GET /admin/returns/{id}:
        note: 'The <left> ear is silent',
        rejection: null,
        toLocation: null,
        refund: { state: 'none', id: null, amount: null, shipping: false },
        restockLocation: null,
        decidedBy: null,
        updatedAt: '2025-03-05T10:00:00.000Z',
      },
    ],
    accounts: [
      {
        id: CUSTOMER_ID,
        email: 'ada@example.test',
        displayName: 'Ada Lovelace',
        roles: ['customer'],
        emailVerified: true,
        mfaEnabled: false,
        disabled: false,
        createdAt: '2025-01-01T00:00:00.000Z',
      },
      {
        id: '0199a83f-2222-7236-b5b8-ba24de364311',
        email: 'boss@shop.test',
        displayName: null,
        roles: ['admin'],
        emailVerified: true,
        mfaEnabled: true,
        disabled: false,
        createdAt: '2025-01-01T00:00:00.000Z',
      },
    ],
    override: new Map(),
  };
}

/** A stock row as the inventory API answers it. */
export const row = (r: FakeState['stock'][number]) => ({
  ...r,
  available: r.onHand - r.reserved,
  lastCountedAt: null,
});

/** What one part of the fake answers for `key` ("METHOD /path"), or undefined when the call is not its own. */
export type Answer = (s: FakeState, call: Call, key: string) => Response | undefined;
