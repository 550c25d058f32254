import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../db/pool.ts';
import { quoteIdent } from '../db/pool.ts';
import { type DeadLetter, selectDeadLetters } from './redrive.ts';

/** Who dismissed the dead letters and why; kept on each row and logged. */
export const DiscardInput = z.object({
  ids: z.array(z.number().int().positive()).min(1, 'name at least one dead letter'),
  reason: z.string().trim().min(1, 'a reason is required').max(500, 'at most 500 characters'),
  actor: z.string().trim().min(1, 'who discards is required (USER or --actor)').max(200),
});
export type DiscardInput = z.infer<typeof DiscardInput>;

/**
 * Nothing was discarded: `unknown` names ids with no dead letter (bad input), `refused` the rows
 * that no longer wait (already redriven or discarded).
 */
export class DiscardRefused extends Error {
  readonly unknown: readonly number[];
  readonly refused: readonly DeadLetter[];

  constructor(unknown: readonly number[], refused: readonly DeadLetter[]) {
    const lines = [
      ...unknown.map((id) => `no dead letter #${id}`),
      ...refused.map((d) =>
        d.redrivenAt
          ? `dead letter #${d.id} of ${d.consumer} was already redriven at ${d.redrivenAt.toISOString()}`
          : `dead letter #${d.id} of ${d.consumer} was already discarded by ${d.discardedBy} at ${d.discardedAt?.toISOString()} ("${d.discardReason}")`,
      ),
    ];
    super(`nothing discarded: ${lines.join('; ')}`);
    this.name = 'DiscardRefused';
    this.unknown = unknown;
    this.refused = refused;
  }
}

/**
 * Dismisses waiting dead letters whose effect an operator repaired by hand, or that must never
 * apply: each row is marked with who, when and why (kept, not deleted), stops counting in
 * `dlq_depth` and is refused by redrive. All or nothing: one unknown or no longer waiting id
 * leaves every row as it was.
 */
export async function discardDeadLetters(db: Db, input: DiscardInput, log?: Logger): Promise<DeadLetter[]> {
  const { ids, reason, actor } = DiscardInput.parse(input);
  const unique = [...new Set(ids)];
  return db.tx(async (tx) => {
    const rows = await selectDeadLetters(
      tx,
      db.schema,
      { ids: unique, includeRedriven: true, includeDiscarded: true },
      'FOR UPDATE',
    );
    const found = new Set(rows.map((r) => r.id));
    const unknown = unique.filter((id) => !found.has(id));
    const refused = rows.filter((r) => r.redrivenAt || r.discardedAt);
    if (unknown.length || refused.length) throw new DiscardRefused(unknown, refused);
    const marked = await tx.query<{ id: number; discardedAt: Date }>(
      `UPDATE ${quoteIdent(db.schema)}.dead_letters
          SET discarded_at = now(), discarded_by = $2, discard_reason = $3
        WHERE id = ANY($1::bigint[]) RETURNING id, discarded_at AS "discardedAt"`,
      [unique, actor, reason],
    );
    const at = new Map(marked.rows.map((r) => [r.id, r.discardedAt]));
    return rows.map((r) => {
      const d: DeadLetter = { ...r, discardedAt: at.get(r.id) ?? null, discardedBy: actor, discardReason: reason };
      log?.warn(
        { deadLetter: d.id, consumer: d.consumer, eventId: d.eventId, subject: d.subject, actor, reason },
        'dead letter discarded: its event will not be redriven',
      );
      return d;
    });
  });
}
