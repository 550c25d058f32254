import { Currency } from '@storefront/contracts';
import { z } from '@storefront/kit';

/** Schemas of the staff promotion routes and the redemption routes. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;
const Name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !CONTROL.test(s), 'must be one line without control characters');
export const Code = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9_-]{2,31}$/, '3 to 32 letters, digits, dash, underscore'))
  .openapi({ example: 'SPRING10' });
const Bp = z.number().int().min(1).max(10_000);
const Amount = z.number().int().min(0).max(100_000_000_000);

export const EffectIn = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percentage'), percentBp: Bp.openapi({ description: 'basis points: 1000 = 10 %' }) }),
  z.object({ kind: z.literal('fixed'), amount: Amount.min(1) }),
  z.object({ kind: z.literal('free_shipping') }),
  z.object({
    kind: z.literal('buy_x_get_y'),
    buy: z.number().int().min(1).max(100),
    get: z.number().int().min(1).max(100),
    discountBp: Bp.default(10_000),
  }),
]);

const fields = {
  code: Code.nullable().optional().openapi({ description: 'null or absent: an automatic promotion' }),
  name: Name,
  effect: EffectIn,
  currency: Currency.nullable().optional(),
  minSubtotal: Amount.nullable().optional(),
  productIds: z.array(z.uuid()).max(100).optional(),
  categoryIds: z.array(z.uuid()).max(100).optional(),
  customerOnly: z.boolean().optional(),
  startsAt: z.iso.datetime({ offset: true }).nullable().optional(),
  endsAt: z.iso.datetime({ offset: true }).nullable().optional(),
  usageLimit: z.number().int().min(1).max(1_000_000_000).nullable().optional(),
  perCustomerLimit: z.number().int().min(1).max(1_000).nullable().optional(),
  active: z.boolean().optional(),
};
export const PromotionIn = z.object(fields);
export const PromotionPatch = z.object(fields).partial();
export type PromotionInput = z.infer<typeof PromotionPatch>;

export const PromotionOut = z
  .object({
    id: z.string(),
    code: z.string().nullable(),
    name: z.string(),
    effect: EffectIn,
    currency: z.string().nullable(),
    minSubtotal: z.number().nullable(),
    productIds: z.array(z.string()),
    categoryIds: z.array(z.string()),
    customerOnly: z.boolean(),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    usageLimit: z.number().nullable(),
    perCustomerLimit: z.number().nullable(),
    usedCount: z.number(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Promotion');

export const ListQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** A promotion by id, or by code (case-insensitive). */
export const PromotionRef = z.object({
  ref: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
});

export const RedeemIn = z.object({
  orderId: z.uuid(),
  customerId: z.string().min(1).max(64).nullable().optional(),
  discount: Amount.nullable().optional(),
  currency: Currency.nullable().optional(),
});
export const ReleaseIn = z.object({ orderId: z.uuid() });
export const RedemptionOut = z.object({
  promotionId: z.string(),
  code: z.string().nullable(),
  orderId: z.string(),
  status: z.enum(['redeemed', 'released']),
  usedCount: z.number(),
  /** True when this call repeated an earlier one: nothing was counted again. */
  replayed: z.boolean(),
});
