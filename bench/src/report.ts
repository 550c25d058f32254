import type { LoadResult } from './load.ts';
import type { ProcessSample } from './process-sampler.ts';

/** One recorded load of one scenario, with what the process under test spent meanwhile. */
export interface Measurement {
  readonly scenario: string;
  readonly load: LoadResult;
  readonly process: ProcessSample;
  /** Wall seconds the process was sampled for (the load, including staggered lane starts). */
  readonly wallSec: number;
}

export interface Row {
  readonly scenario: string;
  /** `max` or `fixed 500/s`. */
  readonly load: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly targetCpuPct: number | undefined;
  readonly cpuUsPerReq: number | undefined;
  readonly peakRssMb: number | undefined;
  readonly loaderCpuPct: number;
  /** Achieved req/s over the baseline's at the same load shape. */
  readonly rpsVsBare: number | undefined;
  /** p99 over the baseline's at the same load shape. */
  readonly p99VsBare: number | undefined;
}

export const BASELINE = 'baseline';

const loadLabel = (l: LoadResult) => (l.mode === 'max' ? `max c${l.connections}` : `fixed ${l.targetRate}/s`);

/** The baseline measurement comparable to `m`: max with max, fixed with fixed at the same rate. */
export function referenceFor(m: Measurement, all: readonly Measurement[]): Measurement | undefined {
  return all.find(
    (b) =>
      b.scenario === BASELINE &&
      b.load.mode === m.load.mode &&
      (m.load.mode === 'max' || b.load.targetRate === m.load.targetRate),
  );
}

const ratio = (a: number, b: number | undefined) => (b && Number.isFinite(a) && Number.isFinite(b) ? a / b : undefined);

export function toRows(all: readonly Measurement[]): Row[] {
  return all.map((m) => {
    const ref = referenceFor(m, all);
    const cpu = m.process.cpuSeconds;
    return {
      scenario: m.scenario,
      load: loadLabel(m.load),
      rps: m.load.achievedRps,
      p50: m.load.latencyMs.p50,
      p99: m.load.latencyMs.p99,
      errors: m.load.errors,
      non2xx: m.load.non2xx,
      targetCpuPct: cpu === undefined || m.wallSec <= 0 ? undefined : (cpu / m.wallSec) * 100,
      cpuUsPerReq: cpu === undefined || m.load.completed === 0 ? undefined : (cpu / m.load.completed) * 1e6,
      peakRssMb: m.process.peakRssKb === undefined ? undefined : m.process.peakRssKb / 1024,
      loaderCpuPct: m.load.loaderCpuPct,
      rpsVsBare: ratio(m.load.achievedRps, ref?.load.achievedRps),
      p99VsBare: ratio(m.load.latencyMs.p99, ref?.load.latencyMs.p99),
    };
  });
}

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const num = (v: number | undefined, f: (n: number) => string) => (v === undefined || !Number.isFinite(v) ? '-' : f(v));
export const ms = (v: number) => (v < 1 ? v.toFixed(3) : v < 100 ? v.toFixed(2) : v.toFixed(0));

const COLUMNS: readonly (readonly [string, (r: Row) => string])[] = [
  ['scenario', (r) => r.scenario],
  ['load', (r) => r.load],
  ['req/s', (r) => num(r.rps, (n) => int.format(n))],
  ['p50 ms', (r) => num(r.p50, ms)],
  ['p99 ms', (r) => num(r.p99, ms)],
  ['errors', (r) => int.format(r.errors)],
  ['non2xx', (r) => int.format(r.non2xx)],
  ['cpu %', (r) => num(r.targetCpuPct, (n) => n.toFixed(0))],
  ['cpu µs/req', (r) => num(r.cpuUsPerReq, (n) => n.toFixed(0))],
  ['peak RSS MB', (r) => num(r.peakRssMb, (n) => n.toFixed(1))],
  ['loader cpu %', (r) => r.loaderCpuPct.toFixed(0)],
  ['req/s ÷ bare', (r) => num(r.rpsVsBare, (n) => n.toFixed(2))],
  ['p99 ÷ bare', (r) => num(r.p99VsBare, (n) => n.toFixed(2))],
];

/** Left-aligned names, right-aligned figures, two spaces between columns. */
export function formatTable(rows: readonly Row[]): string {
  const cells = [COLUMNS.map(([h]) => h), ...rows.map((r) => COLUMNS.map(([, f]) => f(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) =>
    c.map((v, i) => (i < 2 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n');
}

/**
 * "kit costs X% of bare Hono throughput ..." from a scenario's max and fixed loads against the
 * baseline's. Cost is the share of bare throughput lost: 1 − scenario/bare.
 */
export function goalLine(
  scenario: string,
  goal: { readonly label: string; readonly maxCostPct: number },
  all: readonly Measurement[],
): string {
  const mine = all.filter((m) => m.scenario === scenario);
  const max = mine.find((m) => m.load.mode === 'max');
  const fixed = mine.find((m) => m.load.mode === 'fixed');
  const bareMax = max && referenceFor(max, all);
  if (!max || !bareMax) return `${goal.label}: no max-throughput figure for both it and the baseline in this run`;
  const costPct = (1 - max.load.achievedRps / bareMax.load.achievedRps) * 100;
  const bareFixed = fixed && referenceFor(fixed, all);
  const p99 =
    fixed && bareFixed
      ? ` at p99 ${ms(fixed.load.latencyMs.p99)} vs ${ms(bareFixed.load.latencyMs.p99)} ms (fixed ${fixed.load.targetRate} req/s)`
      : '';
  const verdict = costPct < goal.maxCostPct ? 'met' : 'MISSED';
  // CPU per request holds up when other work shares the cores and throughput does not.
  const [mine1, bare1] = toRows([max, bareMax]).map((r) => r.cpuUsPerReq);
  const cpu =
    mine1 !== undefined && bare1 !== undefined ? `; CPU ${mine1.toFixed(0)} vs ${bare1.toFixed(0)} µs per request` : '';
  return (
    `${goal.label} costs ${costPct.toFixed(1)}% of bare Hono throughput ` +
    `(${int.format(max.load.achievedRps)} vs ${int.format(bareMax.load.achievedRps)} req/s)${p99} ` +
    `(goal: < ${goal.maxCostPct}%: ${verdict})${cpu}`
  );
}

const signed = (v: number, f: (n: number) => string) => `${v < 0 ? '−' : '+'}${f(Math.abs(v))}`;

/**
 * "<label> vs <against>: …" — one scenario against another of the same run: throughput at max,
 * p50 and p99 at the same fixed rate, and CPU per request, each with the difference.
 */
export function compareLine(
  scenario: string,
  compare: { readonly against: string; readonly label: string },
  all: readonly Measurement[],
): string {
  const find = (name: string, mode: 'max' | 'fixed', rate?: number) =>
    all.find((m) => m.scenario === name && m.load.mode === mode && (rate === undefined || m.load.targetRate === rate));
  const max = find(scenario, 'max');
  const refMax = find(compare.against, 'max');
  if (!max || !refMax) {
    return `${compare.label}: no max-throughput figure for both it and ${compare.against} in this run`;
  }
  const pct = (max.load.achievedRps / refMax.load.achievedRps - 1) * 100;
  const parts = [
    `${int.format(max.load.achievedRps)} vs ${int.format(refMax.load.achievedRps)} req/s (${signed(pct, (n) => n.toFixed(1))}%)`,
  ];
  const fixed = find(scenario, 'fixed');
  const refFixed = fixed && find(compare.against, 'fixed', fixed.load.targetRate);
  if (fixed && refFixed) {
    const [a, b] = [fixed.load.latencyMs, refFixed.load.latencyMs];
    parts.push(
      `at fixed ${fixed.load.targetRate} req/s p50 ${ms(a.p50)} vs ${ms(b.p50)} ms (${signed(a.p50 - b.p50, ms)}), ` +
        `p99 ${ms(a.p99)} vs ${ms(b.p99)} ms (${signed(a.p99 - b.p99, ms)})`,
    );
  }
  const [mine, ref] = toRows([max, refMax]).map((r) => r.cpuUsPerReq);
  if (mine !== undefined && ref !== undefined) {
    parts.push(
      `CPU ${mine.toFixed(0)} vs ${ref.toFixed(0)} µs per request (${signed(mine - ref, (n) => n.toFixed(0))})`,
    );
  }
  return `${compare.label} vs ${compare.against}: ${parts.join('; ')}`;
}
