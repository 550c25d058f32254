import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { z } from 'zod';
import { createDb } from '../db/pool.ts';
import { DAY_MS, retentionConfigShape } from '../db/retention-config.ts';
import { createLogger } from '../log.ts';
import { checkName } from './names.ts';
import { type DeadLetter, forcedMessage, listDeadLetters, redrive, staleMessage } from './redrive.ts';

const USAGE = `usage: redrive --service <name> [--consumer <name>] [--id <n> ...] [--list] [--all] [--force-stale]
  --list          show dead letters waiting (with --all: also those already redriven)
  --consumer      only this consumer (its name, or the full <service>-<name>)
  --id            only these dead letters (repeatable)
  --force-stale   also redrive events older than INBOX_RETENTION_DAYS (consumers may apply them twice)
  without --consumer/--id, every waiting dead letter of the service is redriven
env: DATABASE_URL, NATS_URL, EVENT_PREFIX (the schema is the service name, - as _),
     INBOX_RETENTION_DAYS (as the service's; default 30)`;

const RetentionEnv = z.object({ INBOX_RETENTION_DAYS: retentionConfigShape.INBOX_RETENTION_DAYS });

/**
 * `npm run redrive -- --service orders --consumer payments-events --list`. Returns the exit code
 * (1 when a dead letter was refused as older than the inbox window); output goes to `print` and
 * warnings also to `log`, so a test can read them.
 */
export async function runRedriveCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void = (l) => console.log(l),
  log: Logger = createLogger({ service: 'redrive', destination: process.stderr }),
): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    print(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { service, consumer: rawConsumer, id, list, all, 'force-stale': forceStale } = args.values;
  const missing = ['DATABASE_URL', 'NATS_URL', 'EVENT_PREFIX'].filter((k) => !env[k]);
  if (!service || missing.length) {
    print(`${service ? `missing env: ${missing.join(', ')}` : '--service is required'}\n${USAGE}`);
    return 2;
  }
  checkName('service', service);
  const retention = RetentionEnv.safeParse(env);
  if (!retention.success) {
    print(`INBOX_RETENTION_DAYS: ${retention.error.issues[0]?.message ?? 'invalid'}\n${USAGE}`);
    return 2;
  }
  const windowDays = retention.data.INBOX_RETENTION_DAYS;
  const ids = (id ?? []).map(Number);
  if (ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
    print(`--id takes dead-letter ids (positive integers)\n${USAGE}`);
    return 2;
  }
  const consumer = rawConsumer && !rawConsumer.startsWith(`${service}-`) ? `${service}-${rawConsumer}` : rawConsumer;
  // Same mapping as the runtime: schema names cannot hold '-'.
  const db = createDb({
    url: env.DATABASE_URL ?? '',
    schema: service.replaceAll('-', '_'),
    max: 2,
    applicationName: 'redrive',
  });
  try {
    const filter = { ...(consumer ? { consumer } : {}), ...(ids.length ? { ids } : {}) };
    if (list) {
      const rows = await listDeadLetters(db, { ...filter, includeRedriven: all === true });
      for (const r of rows) print(describe(r, windowDays));
      print(`${rows.length} dead letter(s)`);
      return 0;
    }
    const result = await redrive({
      db,
      natsUrl: env.NATS_URL ?? '',
      prefix: env.EVENT_PREFIX ?? '',
      ...filter,
      all: true,
      inboxRetentionDays: windowDays,
      forceStale: forceStale === true,
      log,
    });
    for (const r of result.forced) print(`warning: ${forcedMessage(r, windowDays)}`);
    for (const r of result.redriven) print(`redriven ${describe(r, windowDays)}`);
    for (const r of result.skipped) print(`skipped (message no longer in the stream) ${describe(r, windowDays)}`);
    for (const r of result.refused) print(`refused: ${staleMessage(r, windowDays)}`);
    const refused = result.refused.length
      ? `, ${result.refused.length} refused (older than the ${windowDays}-day inbox window; see above)`
      : '';
    print(`${result.redriven.length} redriven, ${result.skipped.length} skipped${refused}`);
    return result.refused.length ? 1 : 0;
  } finally {
    await db.close();
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      service: { type: 'string' },
      consumer: { type: 'string' },
      id: { type: 'string', multiple: true },
      list: { type: 'boolean' },
      all: { type: 'boolean' },
      'force-stale': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
}

function describe(r: DeadLetter, windowDays: number): string {
  const error = r.error.replace(/\s+/g, ' ').slice(0, 200);
  const state = r.redrivenAt ? ` redriven=${r.redrivenAt.toISOString()}` : '';
  const ageDays = (Date.now() - r.eventAt.getTime()) / DAY_MS;
  const age = `age=${ageDays.toFixed(1)}d${ageDays >= windowDays ? ` (past the ${windowDays}-day inbox window)` : ''}`;
  return `#${r.id} ${r.consumer} ${r.subject} event=${r.eventId ?? '?'} seq=${r.streamSeq} attempts=${r.attempts} reason=${r.reason} ${age}${state} error="${error}"`;
}
