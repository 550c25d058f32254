import { Address } from '@storefront/contracts';
import { z } from '@storefront/kit';
import { REPORTED_STATUSES, SHIPMENT_STATUSES } from './domain.ts';

/** Request and response schemas of fulfillment's routes: they validate at the edge and generate /openapi.json. */

export const Id = z.uuid().openapi({ example: '0199a83f-8840-7236-b5b8-ba24de364311' });
export const Status = z.enum(SHIPMENT_STATUSES);
export const CarrierName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'a carrier name such as devcarrier')
  .openapi({ example: 'devcarrier' });

const Line = z.object({ sku: z.string(), qty: z.number().int() });

export const TimelineEntryOut = z.object({
  status: z.enum(REPORTED_STATUSES),
  at: z.iso.datetime(),
  detail: z.string().nullable(),
  source: z.enum(['carrier', 'fulfillment']),
  /** False for a report that did not move the shipment (late, repeated, refused). */
  applied: z.boolean(),
});

export const ShipmentSummaryOut = z.object({
  id: Id,
  orderId: Id,
  kind: z.enum(['outbound', 'return']),
  returnId: Id.nullable(),
  location: z.string(),
  lines: z.array(Line),
  address: Address,
  method: z.string(),
  carrier: z.string(),
  trackingNumber: z.string(),
  /** Staff always; customers for return labels (theirs to print). */
  labelUrl: z.string().nullable(),
  status: Status,
  deliveredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const ShipmentOut = ShipmentSummaryOut.extend({ timeline: z.array(TimelineEntryOut) });

export const OrderShipmentsOut = z.object({ orderId: Id, shipments: z.array(ShipmentOut) });

export const ShipmentPageOut = z.object({ items: z.array(ShipmentSummaryOut), nextCursor: z.string().nullable() });

export const WebhookOut = z.object({
  received: z.literal(true),
  outcome: z.enum(['applied', 'recorded', 'duplicate']),
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
