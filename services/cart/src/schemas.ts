import { Currency } from '@storefront/contracts';
import { z } from '@storefront/kit';
import { CART_TOKEN_HEADER } from './cart-access.ts';

/**
 * Request and response schemas of every cart route: they validate at the edge (every string,
 * array and number bounded) and generate /openapi.json.
 */

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
export const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const Sku = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash, underscore; up to 64')
  .openapi({ example: 'PXL-P7-128-BLK' });
export const Quantity = z.number().int().min(1).max(999);
export const Region = z
  .string()
  .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'ISO 3166 country or country-subdivision, e.g. DE or US-CA')
  .openapi({ example: 'US-CA' });

export const CartParams = z.object({ id: z.uuid() });
export const LineParams = z.object({ id: z.uuid(), sku: Sku });
/** The guest cart's secret; for a customer's cart the access token is enough. */
export const CartHeaders = z.object({
  [CART_TOKEN_HEADER]: z.string().max(128).optional().openapi({ description: "a guest cart's secret token" }),
});

/** Without a currency: USD for a new cart, and an existing customer cart keeps its own. */
export const CreateCartIn = z.object({ currency: Currency.optional() });
export const AddLineIn = z.object({ sku: Sku, quantity: Quantity.default(1) });
export const SetLineIn = z.object({ quantity: Quantity });
export const ShippingIn = z.object({
  option: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/)
    .nullable()
    .optional(),
  region: Region.nullable().optional(),
});
export const CodeIn = z.object({ code: z.string().trim().min(1).max(64) });
export const MergeIn = z.object({ cartId: z.uuid(), token: z.string().min(1).max(128) });

const Amount = z.number().int();
const LineOut = z.object({
  sku: z.string(),
  productId: z.string(),
  slug: z.string().nullable(),
  name: z.string().nullable(),
  image: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: Amount,
  seenUnitPrice: Amount,
  priceChanged: z.boolean(),
  available: z.boolean(),
  subtotal: Amount,
  discount: Amount,
  total: Amount,
  tax: Amount.nullable(),
});
const AppliedOut = z.object({
  id: z.string(),
  code: z.string().nullable(),
  name: z.string(),
  kind: z.enum(['percentage', 'fixed', 'free_shipping', 'buy_x_get_y']),
  discount: Amount,
  shippingDiscount: Amount,
});
export const CartOut = z
  .object({
    id: z.string(),
    status: z.enum(['open', 'merged', 'ordered']),
    owner: z.enum(['guest', 'customer']),
    mergedInto: z.string().nullable(),
    orderId: z.string().nullable().openapi({
      description: 'while `ordered`: the order placed from this cart (it opens again if that order is cancelled)',
    }),
    currency: z.string(),
    pricing: z.enum(['live', 'stale']),
    lines: z.array(LineOut),
    priceChanges: z.number().int(),
    code: z
      .object({
        code: z.string(),
        applied: z.boolean(),
        reasonCode: z.string().nullable(),
        reason: z.string().nullable(),
      })
      .nullable(),
    promotions: z.array(AppliedOut),
    shippingOptions: z.array(z.object({ id: z.string(), name: z.string(), price: Amount, amount: Amount })),
    shippingOption: z.string().nullable(),
    taxRegion: z.string().nullable(),
    totals: z.object({
      subtotal: Amount,
      lineDiscount: Amount,
      orderDiscount: Amount,
      discount: Amount,
      merchandise: Amount,
      shipping: Amount.nullable(),
      tax: Amount.nullable(),
      total: Amount.nullable(),
      estimatedTotal: Amount,
    }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Cart');

export const CreatedCartOut = z.object({
  cart: CartOut,
  /** Only for a new guest cart, only in this answer: send it back as X-Cart-Token. */
  token: z.string().nullable(),
});

export const MergeOut = z.object({
  cart: CartOut,
  capped: z.array(z.string()).openapi({ description: 'SKUs cut to the per-line limit' }),
  dropped: z.array(z.string()).openapi({ description: 'SKUs left out: the cart was full' }),
});
