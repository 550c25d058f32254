import { parseArgs } from 'node:util';
import { createDb } from '../db/pool.ts';
import { checkName } from './names.ts';
import { type DeadLetter, listDeadLetters, redrive } from './redrive.ts';

const USAGE = `usage: redrive --service <name> [--consumer <name>] [--id <n> ...] [--list] [--all]
  --list        show dead letters waiting (with --all: also those already redriven)
  --consumer    only this consumer (its name, or the full <service>-<name>)
  --id          only these dead letters (repeatable)
  without --consumer/--id, every waiting dead letter of the service is redriven
env: DATABASE_URL, NATS_URL, EVENT_PREFIX (the schema is the service name, - as _)`;

/**
 * `npm run redrive -- --service orders --consumer payments-events --list`. Returns the exit code;
 * output goes to `print` so a test can read it.
 */
export async function runRedriveCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void = (l) => console.log(l),
): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    print(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { service, consumer: rawConsumer, id, list, all } = args.values;
  const missing = ['DATABASE_URL', 'NATS_URL', 'EVENT_PREFIX'].filter((k) => !env[k]);
  if (!service || missing.length) {
    print(`${service ? `missing env: ${missing.join(', ')}` : '--service is required'}\n${USAGE}`);
    return 2;
  }
  checkName('service', service);
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
      for (const r of rows) print(describe(r));
      print(`${rows.length} dead letter(s)`);
      return 0;
    }
    const result = await redrive({
      db,
      natsUrl: env.NATS_URL ?? '',
      prefix: env.EVENT_PREFIX ?? '',
      ...filter,
      all: true,
    });
    for (const r of result.redriven) print(`redriven ${describe(r)}`);
    for (const r of result.skipped) print(`skipped (message no longer in the stream) ${describe(r)}`);
    print(`${result.redriven.length} redriven, ${result.skipped.length} skipped`);
    return 0;
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
    },
    strict: true,
    allowPositionals: false,
  });
}

function describe(r: DeadLetter): string {
  const error = r.error.replace(/\s+/g, ' ').slice(0, 200);
  const state = r.redrivenAt ? ` redriven=${r.redrivenAt.toISOString()}` : '';
  return `#${r.id} ${r.consumer} ${r.subject} event=${r.eventId ?? '?'} seq=${r.streamSeq} attempts=${r.attempts} reason=${r.reason}${state} error="${error}"`;
}
