import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { migrate } from '../db/migrate.ts';
import type { Db } from '../db/pool.ts';
import type { Faults } from '../faults.ts';
import { createMetrics, type Metrics } from '../metrics.ts';
import { silentLog, testDb, testEnv } from '../testing/index.ts';
import { type BusOptions, busMigrationsDir, connectBus } from './index.ts';
import { streamName } from './names.ts';
import type { Bus } from './types.ts';

/** Test helpers for the bus suites (real Postgres and NATS; nothing here is a fake). */

export type TestDb = Db & { drop(): Promise<void> };

export async function migratedDb(): Promise<TestDb> {
  const db = testDb('bus');
  await migrate(db, [busMigrationsDir]);
  await db.query('CREATE TABLE effects (event_id uuid NOT NULL, consumer text NOT NULL, n int)');
  return db;
}

/**
 * The hooks of a bus suite, called inside its `describe`: one migrated schema for the suite
 * (handed to `use` before the first test, dropped after the last) and every bus a test opened
 * closed after that test.
 */
export function busSuite(use: (db: TestDb) => void): void {
  let db: TestDb | undefined;
  beforeAll(async () => {
    db = await migratedDb();
    use(db);
  });
  afterEach(closeTestBuses);
  afterAll(async () => {
    await db?.drop();
  });
}

export interface TestBus {
  readonly bus: Bus;
  readonly metrics: Metrics;
}

const opened = new Set<Bus>();

/**
 * Closes every bus a test opened, pass or fail. A bus left running after a failed test would
 * keep relaying the shared schema's outbox to its own prefix and starve the next test.
 */
export async function closeTestBuses(): Promise<void> {
  await Promise.all([...opened].map((b) => b.close()));
  opened.clear();
}

export async function testBus(
  db: Db,
  prefix: string,
  extra: Partial<BusOptions> & { service?: string; faults?: Faults } = {},
): Promise<TestBus> {
  const service = extra.service ?? 'svc';
  const metrics = createMetrics({ service, runtime: false });
  const bus = await connectBus({
    natsUrl: testEnv().natsUrl,
    prefix,
    db,
    log: silentLog(),
    metrics,
    relayPollMs: 100,
    shutdownGraceMs: 2_000,
    ...extra,
    service,
  });
  opened.add(bus);
  return { bus, metrics };
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function streamMessages(prefix: string, natsUrl = testEnv().natsUrl): Promise<number> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info(streamName(prefix))).state.messages;
  } finally {
    await nc.close();
  }
}

export async function count(db: Db, sql: string, params: unknown[] = []): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return r.rows[0]?.n ?? 0;
}

/** Value of one series of a metric (summed over series whose labels include `labels`). */
export async function metricValue(m: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = m.registry.getSingleMetric(name);
  if (!metric) return 0;
  const values = (await metric.get()).values as { value: number; labels: Record<string, string | number> }[];
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** A private nats-server with JetStream, so a test can kill and restart its broker. */
export async function privateNats() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bus-nats-'));
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  async function start() {
    child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: 'ignore' });
    await waitFor(`nats-server on ${port}`, async () => {
      try {
        const nc = await connect({ servers: url, reconnect: false, timeout: 500 });
        await jetstreamManager(nc);
        await nc.close();
        return true;
      } catch {
        return false;
      }
    });
  }
  async function stop() {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  }
  await start();
  return {
    url,
    start,
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every message body in the stream, in stream order. */
export async function streamBodies(prefix: string): Promise<unknown[]> {
  const nc = await connect({ servers: testEnv().natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(streamName(prefix));
    const out: unknown[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage(streamName(prefix), { seq });
      if (m) out.push(m.json());
    }
    return out;
  } finally {
    await nc.close();
  }
}
