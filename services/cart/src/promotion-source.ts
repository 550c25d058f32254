import type { Db } from '@storefront/kit';
import type { Promotion } from './domain-promotions.ts';
import * as store from './store.ts';

/**
 * The promotions a cart read needs: every automatic one and the cart's code, kept in process
 * for a few seconds because every read of every cart asks. A staff edit on this replica drops
 * them at once; other replicas see it within the TTL. Usage counts in this copy may lag by the
 * TTL, which only changes what a read shows: redemption counts in Postgres, atomically.
 */
export interface PromotionSource {
  automatic(now: Date): Promise<Promotion[]>;
  byCode(code: string): Promise<Promotion | null>;
  customerUses(promotionId: string, customerId: string): Promise<number>;
  forget(): void;
}

export function createPromotionSource(opts: { db: Db; ttlMs: number; now?: () => number }): PromotionSource {
  const now = opts.now ?? Date.now;
  let automatic: { value: Promise<Promotion[]>; expires: number } | null = null;
  const codes = new Map<string, { value: Promise<Promotion | null>; expires: number }>();

  return {
    automatic(at) {
      if (!automatic || automatic.expires <= now()) {
        const value = store.listAutomatic(opts.db, at);
        automatic = { value, expires: now() + opts.ttlMs };
        value.catch(() => {
          automatic = null;
        });
      }
      return automatic.value;
    },
    byCode(code) {
      const key = code.toUpperCase();
      const hit = codes.get(key);
      if (hit && hit.expires > now()) return hit.value;
      const value = store.getPromotionByCode(opts.db, key);
      if (codes.size >= 5_000) codes.clear();
      codes.set(key, { value, expires: now() + opts.ttlMs });
      value.catch(() => codes.delete(key));
      return value;
    },
    customerUses: (promotionId, customerId) => store.customerUses(opts.db, promotionId, customerId),
    forget() {
      automatic = null;
      codes.clear();
    },
  };
}
