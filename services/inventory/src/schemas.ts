import { z } from '@storefront/kit';
import { ADJUSTMENT_REASONS, LOCATION_KINDS, RESERVATION_STATUSES } from './domain.ts';
import { POS_OUTCOMES } from './domain-pos.ts';

/**
 * Request and response schemas of every inventory route: they validate at the edge (every string,
 * array and number bounded) and generate /openapi.json.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;
const line = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must be one line without control characters');

export const Sku = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash, underscore; up to 64')
  .openapi({ example: 'PXL-P7-128-BLK' });
export const LocationCode = z
  .string()
  .max(32)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens; up to 32')
  .openapi({ example: 'wh-east' });
/** Chosen by the caller (the orders saga uses its order id), so a retry is recognised. */
export const ReservationId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'letters, digits, dot, dash, underscore, colon; up to 100')
  .openapi({ example: 'order:0199a83f-8840-7236-b5b8-ba24de364311' });
const ClientKey = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'letters, digits, dot, dash, underscore, colon; up to 100');
const Qty = z.number().int().min(1).max(10_000);
const Units = z.number().int().min(0).max(1_000_000);
const Note = line(0, 500).optional();

export const Address = z.object({
  line1: line(1, 200),
  line2: line(0, 200).optional(),
  city: line(1, 100),
  region: line(0, 100).optional(),
  postalCode: line(1, 20),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case'),
});

const locationFields = {
  name: line(1, 120),
  kind: z.enum(LOCATION_KINDS),
  address: Address,
  pickupEnabled: z.boolean().default(false),
  priority: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .optional()
    .describe('lower is preferred; default 10 for warehouses, 100 for stores'),
};
export const LocationCreate = z
  .object({ code: LocationCode, ...locationFields })
  .refine((l) => !l.pickupEnabled || l.kind === 'store', {
    message: 'only stores offer pickup',
    path: ['pickupEnabled'],
  });
export const LocationPatch = z.object({
  name: locationFields.name.optional(),
  kind: locationFields.kind.optional(),
  address: Address.optional(),
  pickupEnabled: z.boolean().optional(),
  priority: locationFields.priority,
});
export const LocationOut = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(LOCATION_KINDS),
  address: z.record(z.string(), z.string()),
  pickupEnabled: z.boolean(),
  priority: z.number(),
});

export const ReserveIn = z.object({
  id: ReservationId,
  lines: z
    .array(z.object({ sku: Sku, qty: Qty }))
    .min(1)
    .max(50),
  ttlSeconds: z.number().int().min(5).max(3600).default(900).describe('how long the hold lives unless committed'),
  pickupLocation: LocationCode.optional().describe('reserve everything at this store, or nothing'),
});
const AllocationOut = z.object({ sku: z.string(), location: z.string(), qty: z.number() });
export const ReservationOut = z.object({
  id: z.string(),
  status: z.enum(RESERVATION_STATUSES),
  releaseReason: z.enum(['requested', 'expired']).nullable(),
  lines: z.array(z.object({ sku: z.string(), qty: z.number() })),
  pickupLocation: z.string().nullable(),
  expiresAt: z.string(),
  createdAt: z.string(),
  committedAt: z.string().nullable(),
  releasedAt: z.string().nullable(),
  allocations: z.array(AllocationOut),
});

export const AvailabilityQuery = z.object({
  sku: z.union([Sku, z.array(Sku).min(1).max(100)]).describe('repeat for several: ?sku=A&sku=B (up to 100)'),
});
export const AvailabilityOut = z.object({
  items: z.array(
    z.object({
      sku: z.string(),
      available: z.number(),
      locations: z.array(
        z.object({
          code: z.string(),
          name: z.string(),
          kind: z.enum(LOCATION_KINDS),
          pickupEnabled: z.boolean(),
          available: z.number(),
        }),
      ),
    }),
  ),
});

export const AdjustIn = z.discriminatedUnion('reason', [
  z.object({
    id: ClientKey.optional(),
    sku: Sku,
    location: LocationCode,
    reason: z.enum(['receipt', 'damage']),
    qty: Qty,
    note: Note,
  }),
  z.object({
    id: ClientKey.optional(),
    sku: Sku,
    location: LocationCode,
    reason: z.literal('correction'),
    delta: z
      .number()
      .int()
      .min(-10_000)
      .max(10_000)
      .refine((d) => d !== 0, 'must not be 0'),
    note: Note,
  }),
  z.object({
    id: ClientKey.optional(),
    sku: Sku,
    location: LocationCode,
    reason: z.literal('count'),
    onHand: Units,
    note: Note,
  }),
]);
const RowLevelOut = z.object({ location: z.string(), onHand: z.number(), reserved: z.number(), available: z.number() });
export const AdjustOut = RowLevelOut.extend({
  id: z.string(),
  sku: z.string(),
  reason: z.enum(ADJUSTMENT_REASONS),
  delta: z.number(),
  replayed: z.boolean(),
});

export const TransferIn = z
  .object({ id: ClientKey.optional(), sku: Sku, from: LocationCode, to: LocationCode, qty: Qty, note: Note })
  .refine((t) => t.from !== t.to, { message: 'from and to must differ', path: ['to'] });
export const TransferOut = z.object({
  id: z.string(),
  sku: z.string(),
  qty: z.number(),
  from: RowLevelOut,
  to: RowLevelOut,
  replayed: z.boolean(),
});

const At = z.iso
  .datetime({ offset: true })
  .refine((s) => new Date(s).getTime() >= Date.UTC(2000, 0, 1), 'must be after 2000-01-01')
  .describe('when it happened at the till');
export const PosSyncIn = z.object({
  batchId: ClientKey,
  lines: z
    .array(
      z.discriminatedUnion('type', [
        z.object({ lineId: ClientKey, type: z.literal('sale'), sku: Sku, qty: Qty, at: At }),
        z.object({ lineId: ClientKey, type: z.literal('count'), sku: Sku, onHand: Units, at: At }),
      ]),
    )
    .min(1)
    .max(500)
    .refine((ls) => new Set(ls.map((l) => l.lineId)).size === ls.length, 'line ids must be unique in a batch'),
});
export const PosSyncOut = z.object({
  batchId: z.string(),
  location: z.string(),
  replayed: z.boolean(),
  lines: z.array(
    z.object({
      lineId: z.string(),
      sku: z.string(),
      outcome: z.enum(POS_OUTCOMES),
      onHand: z.number(),
      shortfall: z.number(),
    }),
  ),
});

export const StockRowOut = z.object({
  sku: z.string(),
  location: z.string(),
  onHand: z.number(),
  reserved: z.number(),
  available: z.number(),
  lowThreshold: z.number(),
  lastCountedAt: z.string().nullable(),
});
export const ThresholdIn = z.object({ lowThreshold: Units });

/** GET /stock: every filter optional and combinable; the cursor is the `sku@location` of a page's last row. */
export const StockQuery = z.object({
  location: LocationCode.optional(),
  sku: Sku.optional().describe('exactly this SKU'),
  q: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'the start of a SKU: letters, digits, dot, dash, underscore; up to 64')
    .optional()
    .describe('SKUs starting with this, case-insensitively')
    .openapi({ example: 'pxl-p7' }),
  low: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only rows whose available is at or below their low-stock threshold (out of stock included)'),
  after: z
    .string()
    .max(120)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}@[a-z0-9]+(?:-[a-z0-9]+)*$/, 'sku@location from nextCursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
export const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
