import { type AuthEnv, createRoute, createRouter, z } from '@storefront/kit';
import type { InventoryDeps } from './app.ts';
import type { Reservation } from './domain.ts';
import type { Guards } from './guards.ts';
import { commit, getReservation, release, reserve } from './reservations.ts';
import { body, json, ReservationId, ReservationOut, ReserveIn } from './schemas.ts';

const tags = ['reservations'];
const idParam = z.object({ id: ReservationId });

export function reservationOut(r: Reservation): z.infer<typeof ReservationOut> {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    ...r,
    expiresAt: new Date(r.expiresAt).toISOString(),
    createdAt: new Date(r.createdAt).toISOString(),
    committedAt: iso(r.committedAt),
    releasedAt: iso(r.releasedAt),
  };
}

/** TTL holds for checkout: the orders saga (service token) or fulfillment staff. */
export function reservationRoutes(deps: InventoryDeps, guards: Guards) {
  const app = createRouter<AuthEnv>();
  const middleware = guards.serviceOrStaff('fulfillment', 'admin');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/reservations',
      tags,
      middleware,
      summary: 'Hold stock for a while, all lines or none',
      description:
        'Idempotent by `id`: the same id with the same lines answers the same reservation (200); with other ' +
        'lines, 409. Allocation prefers one location for everything, then the fewest locations. ' +
        'Not enough stock: 409 `out_of_stock` with `shortfalls`.',
      request: { body: body(ReserveIn) },
      responses: { 201: json(ReservationOut, 'Held'), 200: json(ReservationOut, 'Already held (a retry)') },
    }),
    async (c) => {
      const { reservation, created } = await reserve(deps, c.req.valid('json'));
      return c.json(reservationOut(reservation), created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/reservations/{id}',
      tags,
      middleware,
      summary: 'A reservation with its allocations per location',
      request: { params: idParam },
      responses: { 200: json(ReservationOut, 'The reservation') },
    }),
    async (c) => c.json(reservationOut(await getReservation(deps, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/reservations/{id}/commit',
      tags,
      middleware,
      summary: 'Turn the hold into a sale (on hand goes down)',
      description: 'Repeating it answers the same state. After release or expiry: 409 `invalid_transition`.',
      request: { params: idParam },
      responses: { 200: json(ReservationOut, 'Committed') },
    }),
    async (c) => c.json(reservationOut(await commit(deps, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/reservations/{id}/release',
      tags,
      middleware,
      summary: 'Give the held units back',
      description: 'Repeating it answers the same state. After commit: 409 `invalid_transition`.',
      request: { params: idParam },
      responses: { 200: json(ReservationOut, 'Released') },
    }),
    async (c) => c.json(reservationOut(await release(deps, c.req.valid('param').id)), 200),
  );

  return app;
}
