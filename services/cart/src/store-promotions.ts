import { Conflict, type Queryable } from '@storefront/kit';
import type { Effect, Promotion } from './domain-promotions.ts';

/** Promotions as staff edit them, and the reads carts make. */

interface PromotionRow {
  id: string;
  code: string | null;
  name: string;
  effect: Effect;
  currency: string | null;
  min_subtotal: number | null;
  product_ids: string[];
  category_ids: string[];
  customer_only: boolean;
  starts_at: Date | null;
  ends_at: Date | null;
  usage_limit: number | null;
  per_customer_limit: number | null;
  used_count: number;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toPromotion(r: PromotionRow): Promotion {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    effect: r.effect,
    currency: r.currency,
    minSubtotal: r.min_subtotal === null ? null : Number(r.min_subtotal),
    productIds: r.product_ids,
    categoryIds: r.category_ids,
    customerOnly: r.customer_only,
    startsAt: iso(r.starts_at),
    endsAt: iso(r.ends_at),
    usageLimit: r.usage_limit,
    perCustomerLimit: r.per_customer_limit,
    usedCount: r.used_count,
    active: r.active,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const VALUES = (p: Promotion) => [
  p.id,
  p.code,
  p.name,
  JSON.stringify(p.effect),
  p.currency,
  p.minSubtotal,
  p.productIds,
  p.categoryIds,
  p.customerOnly,
  p.startsAt,
  p.endsAt,
  p.usageLimit,
  p.perCustomerLimit,
  p.active,
  p.updatedAt,
];

function duplicateCode(err: unknown): never {
  if ((err as { code?: string }).code === '23505') throw new Conflict('a promotion with this code already exists');
  throw err;
}

export async function insertPromotion(tx: Queryable, p: Promotion, createdBy: string | null): Promise<void> {
  await tx
    .query(
      `INSERT INTO promotions (id, code, name, effect, currency, min_subtotal, product_ids, category_ids, customer_only,
                               starts_at, ends_at, usage_limit, per_customer_limit, active, updated_at, created_at,
                               created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [...VALUES(p), p.createdAt, createdBy],
    )
    .catch(duplicateCode);
}

export async function updatePromotion(tx: Queryable, p: Promotion): Promise<void> {
  await tx
    .query(
      `UPDATE promotions SET code = $2, name = $3, effect = $4, currency = $5, min_subtotal = $6, product_ids = $7,
         category_ids = $8, customer_only = $9, starts_at = $10, ends_at = $11, usage_limit = $12,
         per_customer_limit = $13, active = $14, updated_at = $15
       WHERE id = $1`,
      VALUES(p),
    )
    .catch(duplicateCode);
}

export async function getPromotion(
  db: Queryable,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<Promotion | null> {
  const { rows } = await db.query<PromotionRow>(
    `SELECT * FROM promotions WHERE id = $1 ${opts.lock ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? toPromotion(rows[0]) : null;
}

export async function getPromotionByCode(db: Queryable, code: string): Promise<Promotion | null> {
  const { rows } = await db.query<PromotionRow>('SELECT * FROM promotions WHERE code = $1', [code.toUpperCase()]);
  return rows[0] ? toPromotion(rows[0]) : null;
}

/** Newest first, keyset on (created_at, id). */
export async function listPromotions(
  db: Queryable,
  opts: { after: { createdAt: string; id: string } | null; limit: number },
): Promise<Promotion[]> {
  const { rows } = await db.query<PromotionRow>(
    `SELECT * FROM promotions
     WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)
     ORDER BY created_at DESC, id DESC LIMIT $3`,
    [opts.after?.createdAt ?? null, opts.after?.id ?? null, opts.limit],
  );
  return rows.map(toPromotion);
}

/** Active automatic promotions whose window has not ended (a cart checks the window itself, too). */
export async function listAutomatic(db: Queryable, now: Date): Promise<Promotion[]> {
  const { rows } = await db.query<PromotionRow>(
    `SELECT * FROM promotions WHERE code IS NULL AND active AND (ends_at IS NULL OR ends_at > $1)
     ORDER BY created_at LIMIT 100`,
    [now],
  );
  return rows.map(toPromotion);
}

export async function customerUses(db: Queryable, promotionId: string, customerId: string): Promise<number> {
  const { rows } = await db.query<{ uses: number }>(
    'SELECT uses FROM promotion_customer_uses WHERE promotion_id = $1 AND customer_id = $2',
    [promotionId, customerId],
  );
  return rows[0]?.uses ?? 0;
}
