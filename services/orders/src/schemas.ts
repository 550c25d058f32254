import { Address } from '@storefront/contracts';
import { z } from '@storefront/kit';
import { ORDER_STATUSES } from './domain.ts';

/** Request and response schemas: they validate at the edge (everything bounded) and make /openapi.json. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
export const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const Id = z.uuid();
export const IdParams = z.object({ id: Id });
export const Status = z.enum(ORDER_STATUSES);

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const ORDER_TOKEN_HEADER = 'x-order-token';

export const CheckoutHeaders = z.object({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{8,128}$/, '8 to 128 letters, digits, _ . : -')
    .openapi({ description: 'required: the same key and body answer the same order' }),
  'x-cart-token': z.string().max(128).optional().openapi({ description: "a guest cart's secret token" }),
});

export const CheckoutIn = z.object({
  cartId: Id,
  email: z.email().max(254).optional().openapi({ description: 'required for a guest' }),
  address: Address,
  shippingMethod: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
  paymentMethod: z
    .string()
    .regex(/^(pm_[A-Za-z0-9_]{1,250})$/, 'a payment method token from the payment provider (pm_…)'),
  returnUrl: z
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//.test(u), 'an http(s) URL'),
});
export type CheckoutInput = z.infer<typeof CheckoutIn>;

const Line = z.object({
  sku: z.string(),
  productId: z.string(),
  name: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: z.number().int(),
  subtotal: z.number().int(),
  discount: z.number().int(),
  total: z.number().int(),
  tax: z.number().int(),
});

export const OrderOut = z
  .object({
    id: z.string(),
    number: z.string(),
    status: Status,
    statusReason: z.string().nullable(),
    actionUrl: z.string().nullable(),
    customerId: z.string().nullable(),
    email: z.string().nullable(),
    currency: z.string(),
    lines: z.array(Line),
    promotions: z.array(
      z.object({ id: z.string(), code: z.string().nullable(), name: z.string(), discount: z.number() }),
    ),
    totals: z.object({
      subtotal: z.number().int(),
      discount: z.number().int(),
      shipping: z.number().int(),
      tax: z.number().int(),
      total: z.number().int(),
    }),
    refunded: z.number().int(),
    address: Address,
    shippingMethod: z.string(),
    shipments: z.array(
      z.object({
        shipmentId: z.string(),
        location: z.string(),
        carrier: z.string(),
        trackingNumber: z.string(),
        status: z.string(),
        deliveredAt: z.string().nullable(),
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
    confirmedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    shippedAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .openapi('Order');

export const CheckoutOut = z.object({
  order: OrderOut,
  statusUrl: z.string(),
  /** Guests only: send it as X-Order-Token to read the order. Same value on a replay. */
  orderToken: z.string().nullable(),
  replayed: z.boolean(),
});

export const OrderPage = z.object({ items: z.array(OrderOut), nextCursor: z.string().nullable() });

export const StaffQuery = z.object({
  status: Status.optional(),
  email: z.email().max(254).optional(),
  number: z
    .string()
    .regex(/^SF-[A-Za-z0-9]{1,20}$/)
    .optional(),
  customerId: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: Id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const PageQuery = z.object({
  cursor: Id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const CancelIn = z.object({ reason: z.string().trim().min(1).max(300) });
export const NoteIn = z.object({ body: z.string().trim().min(1).max(2000) });

export const RefundHeaders = z.object({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{8,128}$/, '8 to 128 letters, digits, _ . : -')
    .openapi({ description: 'required: the same key and body answer the same refund' }),
});
export const RefundIn = z.object({
  amount: z
    .number()
    .int()
    .min(1)
    .max(1_000_000_000_000)
    .optional()
    .openapi({ description: 'minor units; default: everything still refundable' }),
  reason: z.string().trim().min(1).max(300),
});
export const RefundOut = z
  .object({
    id: z.string(),
    source: z.enum(['staff', 'return', 'cancellation']),
    status: z.enum(['requested', 'refunded', 'failed']),
    amount: z.number().int(),
    currency: z.string(),
    reason: z.string().nullable(),
    failure: z.string().nullable(),
    requestedBy: z.string().nullable(),
    returnId: z.string().nullable(),
    at: z.string().nullable(),
  })
  .openapi('Refund');
