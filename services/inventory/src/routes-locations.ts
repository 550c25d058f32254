import { type AuthEnv, Conflict, createRoute, createRouter, NotFound, ValidationFailed, z } from '@storefront/kit';
import type { InventoryDeps } from './app.ts';
import type { Location } from './domain.ts';
import { audited } from './events.ts';
import { actorOf, type Guards } from './guards.ts';
import { body, json, LocationCode, LocationCreate, LocationOut, LocationPatch } from './schemas.ts';
import * as store from './store.ts';

const tags = ['locations'];
const DEFAULT_PRIORITY = { warehouse: 10, store: 100 } as const;

/** Admins open and edit warehouses and stores. */
export function locationRoutes(deps: InventoryDeps, guards: Guards) {
  const app = createRouter<AuthEnv>();
  const middleware = guards.staff('admin');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/locations',
      tags,
      middleware,
      summary: 'Open a warehouse or store',
      request: { body: body(LocationCreate) },
      responses: { 201: json(LocationOut, 'The location') },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const location: Location = { ...b, priority: b.priority ?? DEFAULT_PRIORITY[b.kind] };
      await deps.db.tx(async (tx) => {
        const now = deps.clock();
        if (!(await store.insertLocation(tx, location, now))) throw new Conflict(`location ${b.code} exists`);
        await audited(deps.outbox, tx, {
          actor: actorOf(c),
          action: 'location.create',
          target: { type: 'location', id: b.code },
          at: now,
          requestId: c.get('requestId'),
        });
      });
      return c.json(location, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/locations/{code}',
      tags,
      middleware,
      summary: 'Rename, move, re-prioritise, or switch pickup on or off',
      request: { params: z.object({ code: LocationCode }), body: body(LocationPatch) },
      responses: { 200: json(LocationOut, 'The location') },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const patch = c.req.valid('json');
      const location = await deps.db.tx(async (tx) => {
        const now = deps.clock();
        const before = await store.lockLocation(tx, code);
        if (!before) throw new NotFound(`no location ${code}`);
        const after: Location = { ...before, ...stripUndefined(patch) };
        if (after.pickupEnabled && after.kind !== 'store') {
          throw new ValidationFailed('only stores offer pickup', [
            { path: 'body.pickupEnabled', message: 'stores only' },
          ]);
        }
        await store.updateLocation(tx, after, now);
        await audited(deps.outbox, tx, {
          actor: actorOf(c),
          action: 'location.update',
          target: { type: 'location', id: code },
          at: now,
          requestId: c.get('requestId'),
          details: { changed: Object.keys(stripUndefined(patch)) },
        });
        return after;
      });
      return c.json(location, 200);
    },
  );

  return app;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
