import { eventCatalog, isSubject, newId } from '@storefront/contracts';
import type { z } from 'zod';
import { quoteIdent } from '../db/pool.ts';
import { outboxChannel } from './names.ts';
import { activeTraceHeaders } from './trace-headers.ts';
import type { Outbox } from './types.ts';

/**
 * Outbox writer. The row goes into the caller's transaction; the NOTIFY in the same statement is
 * transactional too, so the relay is woken only when (and if) the transaction commits.
 */
export function createOutbox(schema: string): Outbox {
  const table = `${quoteIdent(schema)}.outbox`;
  const channel = outboxChannel(schema);
  const sql = `WITH row AS (
      INSERT INTO ${table} (id, subject, payload, headers) VALUES ($1, $2, $3, $4) RETURNING 1)
    SELECT pg_notify($5, '') FROM row`;
  return {
    async add(tx, subject, payload, opts) {
      // Types already forbid both mistakes; this catches casts and `any` at the source, where
      // the bug is, instead of in every consumer's dead-letter table.
      if (!isSubject(subject)) throw new Error(`outbox.add: ${String(subject)} is not in the event catalog`);
      const parsed = (eventCatalog[subject] as z.ZodType).parse(payload);
      const id = opts?.id ?? newId();
      // The trace of the request that caused the event, so the publish span continues it.
      const headers = activeTraceHeaders();
      await tx.query(sql, [id, subject, JSON.stringify(parsed), JSON.stringify(headers), channel]);
      return id;
    },
  };
}
