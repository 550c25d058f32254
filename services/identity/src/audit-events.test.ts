import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeAuditEvents } from './events.ts';
import { appendAudit } from './store.ts';
import { type Harness, startIdentity } from './test-harness.ts';

describe('audit.recorded.v1 from other services', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startIdentity();
    subscribeAuditEvents(h.bus);
    await h.bus.start();
  });
  afterAll(() => h.close());

  it('appends another service’s staff action to the log, once', async () => {
    const payload = {
      service: 'catalog',
      action: 'product.update',
      actor: { type: 'account' as const, id: '0190f0aa-0000-7000-8000-000000000001' },
      target: { type: 'product', id: 'p-1' },
      outcome: 'success' as const,
      occurredAt: new Date().toISOString(),
      requestId: 'req-1',
      details: { changed: ['price'] },
    };
    const eventId = await h.db.tx((tx) => h.bus.outbox.add(tx, 'audit.recorded.v1', payload));
    const deadline = Date.now() + 15_000;
    type Row = { service: string; action: string; actor_id: string; target_id: string };
    let rows: Row[] = [];
    while (Date.now() < deadline && rows.length === 0) {
      rows = (
        await h.db.query<Row>('SELECT service, action, actor_id, target_id FROM audit_log WHERE id = $1', [eventId])
      ).rows;
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows).toEqual([
      { service: 'catalog', action: 'product.update', actor_id: payload.actor.id, target_id: 'p-1' },
    ]);
    // A second delivery of the same event id changes nothing (the bus inbox dedupes; so does the key).
    await appendAudit(h.db, {
      id: eventId,
      at: new Date(),
      service: 'catalog',
      action: 'product.update',
      outcome: 'success',
      actor: payload.actor,
      target: payload.target,
    });
    const count = await h.db.query('SELECT count(*)::int AS n FROM audit_log WHERE id = $1', [eventId]);
    expect(count.rows[0]?.n).toBe(1);
  });
});
