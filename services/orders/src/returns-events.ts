import type { EventEnvelope } from '@storefront/contracts';
import type { Queryable } from '@storefront/kit';
import type { Core } from './core.ts';

/** Placeholder until returns land: no event belongs to a return yet. */
export async function returnOutcome(_core: Core, _tx: Queryable, _e: EventEnvelope): Promise<boolean> {
  return false;
}
