import { fileURLToPath } from 'node:url';
import { DEFAULTS, parseRunArgs, type RunOptions, USAGE } from './args.ts';
import { compareLine, formatTable, goalLine, type Measurement, toRows } from './report.ts';
import { machineInfo, writeResults } from './results-file.ts';
import { type Outcome, runScenario } from './run-scenario.ts';
import { scenarios } from './scenarios/index.ts';
import { select } from './select.ts';
import type { Scenario } from './types.ts';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(opts: RunOptions): Promise<number> {
  if (opts.help) {
    log(USAGE);
    return 0;
  }
  if (opts.list) {
    for (const s of scenarios) log(`${s.name.padEnd(20)} ${s.description}`);
    return 0;
  }
  const chosen = select(scenarios, opts.only);
  const machine = machineInfo();
  const runId = `bench${Date.now().toString(36)}`;
  log(
    `storefront bench ${machine.date}  node ${machine.node}  ${machine.cpus}× ${machine.cpuModel}  ` +
      `load avg ${machine.loadAvg1m.toFixed(2)}`,
  );

  const outcomes: { scenario: Scenario; outcome: Outcome }[] = [];
  for (const s of chosen) {
    const durationSec = opts.duration ?? s.duration ?? DEFAULTS.duration;
    log(`\n▶ ${s.name}: ${s.description}`);
    const outcome = await runScenario(s, {
      durationSec,
      rate: opts.rate,
      connections: opts.connections,
      lanes: opts.lanes,
      warmupSec: opts.warmup,
      targetLog: opts.targetLog,
      runId,
      log,
    });
    if (outcome.status !== 'ran') log(`  ${outcome.status}: ${outcome.reason}`);
    outcomes.push({ scenario: s, outcome });
  }

  const measurements: Measurement[] = outcomes.flatMap(({ outcome }) =>
    outcome.status === 'skipped' ? [] : outcome.measurements,
  );
  const rows = toRows(measurements);
  const goals = outcomes
    .filter(({ scenario, outcome }) => scenario.goal && outcome.status === 'ran')
    .map(({ scenario }) => goalLine(scenario.name, scenario.goal ?? { label: '', maxCostPct: 0 }, measurements))
    .concat(
      outcomes
        .filter(({ scenario, outcome }) => scenario.compare && outcome.status === 'ran')
        .map(({ scenario }) =>
          compareLine(scenario.name, scenario.compare ?? { against: '', label: '' }, measurements),
        ),
    );
  log(`\n${formatTable(rows)}\n`);
  for (const g of goals) log(g);
  for (const { scenario, outcome } of outcomes) {
    if (outcome.status !== 'ran') log(`${scenario.name} ${outcome.status}: ${outcome.reason}`);
  }

  const file = writeResults(RESULTS_DIR, machine.date, {
    machine,
    options: { ...opts, duration: opts.duration ?? DEFAULTS.duration },
    rows,
    goals,
    outcomes: outcomes.map(({ scenario, outcome }) => ({ scenario: scenario.name, ...outcome })),
  });
  log(`\nresults: ${file}`);
  return outcomes.some(({ outcome }) => outcome.status === 'failed') ? 1 : 0;
}

// Exit through process.exit so target-process's exit hook kills the children we started.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

let opts: RunOptions;
try {
  opts = parseRunArgs(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
  process.exit(2);
}
process.exitCode = await main(opts);
