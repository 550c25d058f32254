import type { Queryable } from '@storefront/kit';

export interface AuditEntry {
  readonly id: string;
  readonly at: Date;
  readonly service: string;
  readonly action: string;
  readonly outcome: 'success' | 'failure';
  readonly actor: { readonly type: 'account' | 'system' | 'anonymous'; readonly id: string | null };
  readonly target: { readonly type: string; readonly id: string } | null;
  readonly requestId?: string | undefined;
  readonly ip?: string | undefined;
  readonly details?: Record<string, unknown> | undefined;
}

export interface AuditRecord extends AuditEntry {
  readonly seq: number;
}

/** Appends one entry; an entry with a known id (a redelivered event) is ignored. The table has no other writer. */
export async function appendAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (id, at, service, action, outcome, actor_type, actor_id, target_type, target_id,
       request_id, ip, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING`,
    [
      e.id,
      e.at,
      e.service,
      e.action,
      e.outcome,
      e.actor.type,
      e.actor.id,
      e.target?.type ?? null,
      e.target?.id ?? null,
      e.requestId ?? null,
      e.ip ?? null,
      JSON.stringify(e.details ?? {}),
    ],
  );
}

export interface AuditFilter {
  readonly actorId?: string | undefined;
  readonly action?: string | undefined;
  readonly targetId?: string | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  /** Only entries recorded before this sequence number (the cursor). */
  readonly beforeSeq?: number | undefined;
  readonly limit: number;
}

interface Row {
  seq: number;
  id: string;
  at: Date;
  service: string;
  action: string;
  outcome: 'success' | 'failure';
  actor_type: 'account' | 'system' | 'anonymous';
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** Newest first; `limit + 1` rows are read so the caller knows whether there is a next page. */
export async function queryAudit(q: Queryable, f: AuditFilter): Promise<AuditRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.actorId) add('actor_id = ?', f.actorId);
  if (f.action) add('action = ?', f.action);
  if (f.targetId) add('target_id = ?', f.targetId);
  if (f.from) add('at >= ?', f.from);
  if (f.to) add('at < ?', f.to);
  if (f.beforeSeq !== undefined) add('seq < ?', f.beforeSeq);
  params.push(f.limit + 1);
  const r = await q.query<Row>(
    `SELECT seq, id, at, service, action, outcome, actor_type, actor_id, target_type, target_id, request_id, ip, details
     FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  return r.rows.map((row) => ({
    seq: row.seq,
    id: row.id,
    at: row.at,
    service: row.service,
    action: row.action,
    outcome: row.outcome,
    actor: { type: row.actor_type, id: row.actor_id },
    target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
    requestId: row.request_id ?? undefined,
    ip: row.ip ?? undefined,
    details: row.details,
  }));
}
