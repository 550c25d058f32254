import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { z } from 'zod';
import { createDb } from '../db/pool.ts';
import { DAY_MS, retentionConfigShape } from '../db/retention-config.ts';
import { createLogger } from '../log.ts';
import { DiscardInput, DiscardRefused, discardDeadLetters } from './discard.ts';
import { checkName } from './names.ts';
import { type DeadLetter, discardedMessage, forcedMessage, listDeadLetters, redrive, staleMessage } from './redrive.ts';

const USAGE = `usage: redrive --service <name> [--consumer <name>] [--id <n> ...] [--list] [--all] [--force-stale]
       redrive --service <name> --discard <n> [--discard <n> ...] --reason "<why>" [--actor <who>]
  --list          show dead letters waiting (with --all: also those redriven or discarded)
  --consumer      only this consumer (its name, or the full <service>-<name>)
  --id            only these dead letters (repeatable)
  --force-stale   also redrive events older than INBOX_RETENTION_DAYS (consumers may apply them twice)
  --discard       dismiss these dead letters for good (effect repaired by hand, or must never apply):
                  kept with who/when/why, no longer waiting or counted in dlq_depth, never redriven
  --reason        why they are discarded (required with --discard, at most 500 characters)
  --actor         who discards (default: USER)
  without --consumer/--id, every waiting dead letter of the service is redriven
env: DATABASE_URL, NATS_URL, EVENT_PREFIX (the schema is the service name, - as _),
     INBOX_RETENTION_DAYS (as the service's; default 30)`;

const RetentionEnv = z.object({ INBOX_RETENTION_DAYS: retentionConfigShape.INBOX_RETENTION_DAYS });

/**
 * `npm run redrive -- --service orders --consumer payments-events --list`. Returns the exit code
 * (2 for bad input, including an unknown dead-letter id to discard; 1 when a dead letter was
 * refused: older than the inbox window, discarded, or no longer waiting to be discarded); output
 * goes to `print` and warnings also to `log`, so a test can read them.
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
  const { service, consumer: rawConsumer, id, list, all, 'force-stale': forceStale, discard } = args.values;
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
  let discardInput: DiscardInput | undefined;
  if (discard?.length || args.values.reason !== undefined || args.values.actor !== undefined) {
    if (!discard?.length || list || all || forceStale || id?.length || rawConsumer) {
      print(`--discard <id> --reason "<why>" [--actor <who>] goes alone\n${USAGE}`);
      return 2;
    }
    const parsed = DiscardInput.safeParse({
      ids: discard.map(Number),
      reason: args.values.reason ?? '',
      actor: args.values.actor ?? env.USER ?? '',
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = { ids: '--discard', reason: '--reason', actor: '--actor' }[String(issue?.path[0])] ?? '--discard';
      const what = field === '--discard' ? 'takes dead-letter ids (positive integers)' : issue?.message;
      print(`${field}: ${what}\n${USAGE}`);
      return 2;
    }
    discardInput = parsed.data;
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
    if (discardInput) return await runDiscard(db, discardInput, print, log, windowDays);
    const filter = { ...(consumer ? { consumer } : {}), ...(ids.length ? { ids } : {}) };
    if (list) {
      const rows = await listDeadLetters(db, {
        ...filter,
        includeRedriven: all === true,
        includeDiscarded: all === true,
      });
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
    for (const r of result.discarded) print(`refused: ${discardedMessage(r)}`);
    const refused = result.refused.length
      ? `, ${result.refused.length} refused (older than the ${windowDays}-day inbox window; see above)`
      : '';
    const discarded = result.discarded.length ? `, ${result.discarded.length} refused (discarded; see above)` : '';
    print(`${result.redriven.length} redriven, ${result.skipped.length} skipped${refused}${discarded}`);
    return result.refused.length || result.discarded.length ? 1 : 0;
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
      discard: { type: 'string', multiple: true },
      reason: { type: 'string' },
      actor: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
}

async function runDiscard(
  db: Parameters<typeof discardDeadLetters>[0],
  input: DiscardInput,
  print: (line: string) => void,
  log: Logger,
  windowDays: number,
): Promise<number> {
  try {
    const rows = await discardDeadLetters(db, input, log);
    for (const r of rows) print(`discarded ${describe(r, windowDays)}`);
    print(`${rows.length} discarded`);
    return 0;
  } catch (err) {
    if (!(err instanceof DiscardRefused)) throw err;
    print(err.message);
    return err.unknown.length ? 2 : 1;
  }
}

function describe(r: DeadLetter, windowDays: number): string {
  const error = r.error.replace(/\s+/g, ' ').slice(0, 200);
  const state = r.redrivenAt
    ? ` redriven=${r.redrivenAt.toISOString()}`
    : r.discardedAt
      ? ` discarded=${r.discardedAt.toISOString()} by=${r.discardedBy} because="${r.discardReason}"`
      : '';
  const ageDays = (Date.now() - r.eventAt.getTime()) / DAY_MS;
  const age = `age=${ageDays.toFixed(1)}d${ageDays >= windowDays ? ` (past the ${windowDays}-day inbox window)` : ''}`;
  return `#${r.id} ${r.consumer} ${r.subject} event=${r.eventId ?? '?'} seq=${r.streamSeq} attempts=${r.attempts} reason=${r.reason} ${age}${state} error="${error}"`;
}
