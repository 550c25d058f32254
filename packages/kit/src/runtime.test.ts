import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfigShape, dataConfigShape, loadConfig } from './config.ts';
import { createRouter } from './http/router.ts';
import { createLogger } from './log.ts';
import { createRuntime } from './runtime.ts';
import { jsonOf, testEnv, testEventPrefix, testRedisPrefix, uniqueSuffix } from './testing/index.ts';

describe('createRuntime', async () => {
  const env = testEnv();
  const service = `rt_${uniqueSuffix()}`;
  const migrations = mkdtempSync(join(tmpdir(), 'rt-mig-'));
  writeFileSync(join(migrations, '001_notes.sql'), 'CREATE TABLE notes (id uuid PRIMARY KEY, n int NOT NULL);');
  const config = loadConfig(z.object({ ...baseConfigShape, ...dataConfigShape }), {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    REDIS_PREFIX: testRedisPrefix(),
    NATS_URL: env.natsUrl,
    EVENT_PREFIX: testEventPrefix(),
    // Every ordinary request at info, so the test can see the knob reach the access log.
    ACCESS_LOG_SAMPLE: '1',
    DB_POOL_MAX: '7',
  });
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _e, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  const rt = await createRuntime({
    service,
    config,
    log: createLogger({ service, level: 'info', destination }),
    needs: { database: { migrations }, redis: true, messaging: true, broadcast: true },
  });
  const heard: number[] = [];
  rt.bus.subscribe('notes', ['kit.ping.v1'], async (event, ctx) => {
    await ctx.tx.query('INSERT INTO notes (id, n) VALUES ($1, $2)', [event.id, event.payload.n]);
  });
  rt.broadcast.on(['kit.ping.v1'], (event) => {
    heard.push(event.payload.n);
  });
  const app = createRouter();
  app.post('/notes/:n', async (c) => {
    const n = Number(c.req.param('n'));
    await rt.db.tx((tx) => rt.bus.outbox.add(tx, 'kit.ping.v1', { n }));
    await rt.redis.set('last', String(n));
    return c.json({ queued: n }, 202);
  });
  const running = await rt.serve(app);
  afterAll(async () => {
    await running.close();
    const { createDb } = await import('./db/pool.ts');
    const admin = createDb({ url: env.databaseUrl, schema: 'public' });
    await admin.query(`DROP SCHEMA IF EXISTS "${service}" CASCADE`);
    await admin.close();
  });

  it('migrates (kit bus tables and the service own), and is ready with every dependency', async () => {
    const tables = await rt.db.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
      [service],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['notes', 'outbox', 'inbox', 'dead_letters']),
    );
    const ready = await fetch(`${running.url}/readyz`);
    expect(ready.status).toBe(200);
    expect((await jsonOf(ready)).checks).toEqual({ postgres: 'ok', redis: 'ok', nats: 'ok' });
    // DB_POOL_MAX sizes the service's pool.
    expect((rt.db.pool as unknown as { options: { max: number } }).options.max).toBe(7);
  });

  it('carries a change from a request through the outbox to a consumer and every broadcast listener', async () => {
    expect((await fetch(`${running.url}/notes/7`, { method: 'POST' })).status).toBe(202);
    const deadline = Date.now() + 10_000;
    let rows = 0;
    while (Date.now() < deadline && (rows === 0 || heard.length === 0)) {
      rows = (await rt.db.query('SELECT 1 FROM notes WHERE n = 7')).rowCount ?? 0;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows).toBe(1);
    expect(heard).toContain(7);
    expect(await rt.redis.get('last')).toBe('7');
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toContain('outbox_pending');
    const access = lines.filter((l) => l.msg === 'request');
    expect(access).toContainEqual(expect.objectContaining({ level: 'info', path: '/notes/7', status: 202 }));
    // Probes and scrapes stay at debug whatever the sample rate.
    expect(access.filter((l) => l.path === '/readyz' || l.path === '/metrics')).toEqual([]);
  });
});
