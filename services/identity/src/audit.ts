import type { Queryable } from '@storefront/kit';
import type { Identity } from './context.ts';
import type { RequestMeta } from './request-meta.ts';
import { type AuditEntry, appendAudit } from './store.ts';

export interface AuditInput {
  readonly action: string;
  readonly outcome?: AuditEntry['outcome'];
  readonly actor: AuditEntry['actor'];
  readonly target?: AuditEntry['target'];
  readonly details?: Record<string, unknown>;
}

/** Records one of identity's own security events or staff actions, in the caller's transaction. */
export function recordAudit(idn: Identity, q: Queryable, meta: RequestMeta | undefined, e: AuditInput) {
  return appendAudit(q, {
    id: idn.newId(),
    at: idn.clock(),
    service: 'identity',
    action: e.action,
    outcome: e.outcome ?? 'success',
    actor: e.actor,
    target: e.target ?? null,
    requestId: meta?.requestId,
    ip: meta?.ip,
    details: e.details,
  });
}

export const accountActor = (id: string) => ({ type: 'account' as const, id });
export const anonymous = { type: 'anonymous' as const, id: null };
export const system = { type: 'system' as const, id: null };
export const accountTarget = (id: string) => ({ type: 'account', id });
