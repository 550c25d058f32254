import { type AuthEnv, createRoute, createRouter, ValidationFailed, z } from '@storefront/kit';
import type { InventoryDeps } from './app.ts';
import type { PosLine } from './domain-pos.ts';
import type { Guards } from './guards.ts';
import { posSync } from './pos-sync.ts';
import { body, json, LocationCode, PosSyncIn, PosSyncOut } from './schemas.ts';

// A till's clock may run a little ahead; a count far in the future would mark every later one stale.
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Store tills report sales and shelf counts (rules in domain-pos.ts). */
export function posRoutes(deps: InventoryDeps, guards: Guards) {
  const app = createRouter<AuthEnv>();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/locations/{code}/pos-sync',
      tags: ['pos'],
      middleware: guards.serviceOrStaff('fulfillment', 'admin'),
      summary: "Apply a till's batch of sales and counts, once",
      description:
        '`sale` lines take `qty` off on hand; `count` lines set on hand to the units seen at `at`, minus POS ' +
        'sales after `at` already applied. Older counts are `stale`; sales before the last count are `counted`. ' +
        'On hand never drops below reserved: the rest is `shortfall`. A retried batch replays its result; a line ' +
        'id seen in an earlier batch is `duplicate`.',
      request: { params: z.object({ code: LocationCode }), body: body(PosSyncIn) },
      responses: { 200: json(PosSyncOut, 'What each line did') },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const b = c.req.valid('json');
      const latest = deps.clock().getTime() + MAX_CLOCK_SKEW_MS;
      const lines: PosLine[] = b.lines.map((l) => ({ ...l, at: new Date(l.at) }));
      const future = lines.findIndex((l) => l.at.getTime() > latest);
      if (future >= 0) {
        throw new ValidationFailed('a line happened in the future', [
          { path: `body.lines.${future}.at`, message: 'later than now (plus 5 minutes of clock skew)' },
        ]);
      }
      const { result, replayed } = await posSync(deps, code, { batchId: b.batchId, lines });
      return c.json({ ...result, replayed }, 200);
    },
  );

  return app;
}
