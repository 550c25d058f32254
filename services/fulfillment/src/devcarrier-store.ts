import type { Queryable } from '@storefront/kit';
import type { ShipmentKind } from './domain.ts';

/** SQL of the development carrier's side: its parcels and its scheduler (`carrier_jobs`). */

export const DEVCARRIER = 'devcarrier';

export interface DevParcel {
  readonly trackingNumber: string;
  readonly kind: ShipmentKind;
  readonly status: string;
  readonly origin: string;
  readonly destination: string;
  readonly labelUrl: string;
}

const PARCEL = `tracking_number AS "trackingNumber", kind, status, origin, destination, label_url AS "labelUrl"`;

/** Inserts unless a live parcel has this reference; returns the new parcel, or undefined. */
export async function insertParcel(
  q: Queryable,
  p: DevParcel & { reference: string },
  now: Date,
): Promise<DevParcel | undefined> {
  const { rows } = await q.query<DevParcel>(
    `INSERT INTO devcarrier_parcels (tracking_number, reference, kind, status, origin, destination, label_url, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
     ON CONFLICT (reference) WHERE status <> 'cancelled' DO NOTHING
     RETURNING ${PARCEL}`,
    [p.trackingNumber, p.reference, p.kind, p.status, p.origin, p.destination, p.labelUrl, now],
  );
  return rows[0];
}

export async function liveParcelByReference(q: Queryable, reference: string): Promise<DevParcel | undefined> {
  const { rows } = await q.query<DevParcel>(
    `SELECT ${PARCEL} FROM devcarrier_parcels WHERE reference = $1 AND status <> 'cancelled'`,
    [reference],
  );
  return rows[0];
}

export async function lockParcel(q: Queryable, trackingNumber: string): Promise<DevParcel | undefined> {
  const { rows } = await q.query<DevParcel>(
    `SELECT ${PARCEL} FROM devcarrier_parcels WHERE tracking_number = $1 FOR UPDATE`,
    [trackingNumber],
  );
  return rows[0];
}

/** Several parcels locked, in tracking-number order (so two lockers never wait on each other in a circle). */
export async function lockParcels(q: Queryable, trackingNumbers: readonly string[]): Promise<Map<string, DevParcel>> {
  const { rows } = await q.query<DevParcel>(
    `SELECT ${PARCEL} FROM devcarrier_parcels WHERE tracking_number = ANY($1::text[])
      ORDER BY tracking_number FOR UPDATE`,
    [trackingNumbers],
  );
  return new Map(rows.map((r) => [r.trackingNumber, r]));
}

export async function setParcelStatuses(
  q: Queryable,
  moves: readonly { trackingNumber: string; status: string }[],
  now: Date,
) {
  if (moves.length === 0) return;
  await q.query(
    `UPDATE devcarrier_parcels p SET status = m.status, updated_at = $3
       FROM unnest($1::text[], $2::text[]) AS m(tracking_number, status) WHERE p.tracking_number = m.tracking_number`,
    [moves.map((m) => m.trackingNumber), moves.map((m) => m.status), now],
  );
}

export async function setParcelStatus(q: Queryable, trackingNumber: string, status: string, now: Date) {
  await q.query(`UPDATE devcarrier_parcels SET status = $2, updated_at = $3 WHERE tracking_number = $1`, [
    trackingNumber,
    status,
    now,
  ]);
}

export interface Job {
  readonly id: number;
  readonly trackingNumber: string;
  readonly status: string;
  readonly eventId: string;
  readonly occurredAt: Date | null;
  readonly attempts: number;
}

export async function scheduleJob(
  q: Queryable,
  j: { trackingNumber: string; status: string; eventId: string; dueAt: Date },
  now: Date,
) {
  await q.query(
    `INSERT INTO carrier_jobs (carrier, tracking_number, status, event_id, due_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [DEVCARRIER, j.trackingNumber, j.status, j.eventId, j.dueAt, now],
  );
}

/** The next steps of several parcels, in one statement. */
export async function scheduleJobs(
  q: Queryable,
  jobs: readonly { trackingNumber: string; status: string; eventId: string; dueAt: Date }[],
  now: Date,
) {
  if (jobs.length === 0) return;
  await q.query(
    `INSERT INTO carrier_jobs (carrier, tracking_number, status, event_id, due_at, created_at)
     SELECT $1, t, s, e, d, $6 FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS x(t, s, e, d)`,
    [
      DEVCARRIER,
      jobs.map((j) => j.trackingNumber),
      jobs.map((j) => j.status),
      jobs.map((j) => j.eventId),
      jobs.map((j) => j.dueAt),
      now,
    ],
  );
}

/** Due jobs, locked; those another runner holds are skipped, not waited for. */
export async function takeDueJobs(q: Queryable, now: Date, limit: number): Promise<Job[]> {
  const { rows } = await q.query<Job>(
    `SELECT id, tracking_number AS "trackingNumber", status, event_id AS "eventId",
            occurred_at AS "occurredAt", attempts
       FROM carrier_jobs
      WHERE carrier = $1 AND due_at <= $2
      ORDER BY due_at, id
      LIMIT $3
      FOR UPDATE SKIP LOCKED`,
    [DEVCARRIER, now, limit],
  );
  return rows;
}

/** Claims several jobs until `leaseUntil` (a runner that dies while posting leaves them to be taken again then), each keeping the time its step happened. */
export async function leaseJobs(q: Queryable, jobs: readonly { id: number; occurredAt: Date }[], leaseUntil: Date) {
  if (jobs.length === 0) return;
  await q.query(
    `UPDATE carrier_jobs j SET occurred_at = l.occurred_at, due_at = $3
       FROM unnest($1::bigint[], $2::timestamptz[]) AS l(id, occurred_at) WHERE j.id = l.id`,
    [jobs.map((j) => j.id), jobs.map((j) => j.occurredAt), leaseUntil],
  );
}

export async function deleteJobs(q: Queryable, ids: readonly number[]) {
  if (ids.length === 0) return;
  await q.query(`DELETE FROM carrier_jobs WHERE id = ANY($1::bigint[])`, [ids]);
}

export async function retryJob(q: Queryable, id: number, attempts: number, error: string, dueAt: Date | 'never') {
  await q.query(
    `UPDATE carrier_jobs SET attempts = $2, last_error = $3,
            due_at = CASE WHEN $4::text = 'never' THEN 'infinity'::timestamptz ELSE $5::timestamptz END
      WHERE id = $1`,
    [id, attempts, error.slice(0, 1000), dueAt === 'never' ? 'never' : 'at', dueAt === 'never' ? null : dueAt],
  );
}
