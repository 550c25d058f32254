import { parseArgs } from 'node:util';

export interface RunOptions {
  /** Scenario names to run; empty means all. */
  readonly only: readonly string[];
  /** Seconds per load; undefined lets a scenario's own default (or the harness default) apply. */
  readonly duration: number | undefined;
  /** Requests per second for every `fixed` load that does not pin its own. */
  readonly rate: number;
  /** Connections for `max` loads. */
  readonly connections: number;
  /** Connections that share a fixed rate, each started at its own offset within the second. */
  readonly lanes: number;
  /** Seconds of unrecorded load before a target's first recorded load, so the JIT is warm. */
  readonly warmup: number;
  /** Where the process under test writes stdout (its logs); default /dev/null. */
  readonly targetLog: string | undefined;
  readonly list: boolean;
  readonly help: boolean;
}

export const DEFAULTS = { duration: 15, rate: 500, connections: 32, lanes: 20, warmup: 3 } as const;

// Every knob is bounded so a typo cannot start an hour-long run or a connection storm.
const LIMITS = {
  duration: [1, 300],
  rate: [1, 100_000],
  connections: [1, 1_000],
  lanes: [1, 200],
  warmup: [0, 60],
} as const;

export const USAGE = `Usage: npm run bench -- [options]
  --only <names>       comma-separated scenarios (repeatable); the baseline always runs too
  --duration <s>       seconds per load (default ${DEFAULTS.duration})
  --rate <n>           req/s for fixed-rate loads (default ${DEFAULTS.rate})
  --connections <n>    connections for max-throughput loads (default ${DEFAULTS.connections})
  --lanes <n>          connections sharing a fixed rate, staggered over the second (default ${DEFAULTS.lanes})
  --warmup <s>         unrecorded seconds of the first load shape per target (default ${DEFAULTS.warmup})
  --target-log <file>  write the process under test's logs here instead of /dev/null
  --list               print the scenarios and exit
  --help`;

function bounded(name: keyof typeof LIMITS, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  const [min, max] = LIMITS[name];
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

/** Parses `npm run bench -- ...` arguments; throws with the offending flag on bad input. */
export function parseRunArgs(argv: readonly string[]): RunOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      only: { type: 'string', multiple: true },
      duration: { type: 'string' },
      rate: { type: 'string' },
      connections: { type: 'string' },
      lanes: { type: 'string' },
      warmup: { type: 'string' },
      'target-log': { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const only = (values.only ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    only: [...new Set(only)],
    duration: values.duration === undefined ? undefined : bounded('duration', values.duration, DEFAULTS.duration),
    rate: bounded('rate', values.rate, DEFAULTS.rate),
    connections: bounded('connections', values.connections, DEFAULTS.connections),
    lanes: bounded('lanes', values.lanes, DEFAULTS.lanes),
    warmup: bounded('warmup', values.warmup, DEFAULTS.warmup),
    targetLog: values['target-log'],
    list: values.list ?? false,
    help: values.help ?? false,
  };
}
