import { describe, expect, it } from 'vitest';
import type { LoadResult } from './load.ts';
import { compareLine, formatTable, goalLine, type Measurement, toRows } from './report.ts';

function m(scenario: string, mode: 'max' | 'fixed', rps: number, p99: number, rate?: number): Measurement {
  const load: LoadResult = {
    mode,
    targetRate: rate,
    connections: 32,
    durationSec: 10,
    completed: rps * 10,
    achievedRps: rps,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    statusCodes: { 200: rps * 10 },
    latencyMs: { count: rps * 10, p50: p99 / 2, p90: p99, p99, max: p99 },
    loaderCpuPct: 50,
  };
  return { scenario, load, process: { peakRssKb: 102_400, hwmKb: 102_400, cpuSeconds: 5 }, wallSec: 10 };
}

const run = [
  m('baseline', 'max', 10_000, 4),
  m('baseline', 'fixed', 500, 0.5, 500),
  m('kit-overhead', 'max', 9_000, 5),
  m('kit-overhead', 'fixed', 500, 0.75, 500),
  m('kit-overhead', 'fixed', 200, 0.6, 200),
];

describe('toRows', () => {
  const rows = toRows(run);

  it('divides by the baseline at the same load shape', () => {
    expect(rows.map((r) => [r.scenario, r.load, r.rpsVsBare, r.p99VsBare])).toEqual([
      ['baseline', 'max c32', 1, 1],
      ['baseline', 'fixed 500/s', 1, 1],
      ['kit-overhead', 'max c32', 0.9, 1.25],
      ['kit-overhead', 'fixed 500/s', 1, 1.5],
      // No baseline at 200/s in this run: no ratio rather than a wrong one.
      ['kit-overhead', 'fixed 200/s', undefined, undefined],
    ]);
  });

  it('derives the target CPU share, CPU per request and RSS in MB', () => {
    expect(rows[0]).toMatchObject({ targetCpuPct: 50, cpuUsPerReq: 50, peakRssMb: 100 });
  });

  it('has no ratios at all without a baseline', () => {
    expect(toRows(run.slice(2)).every((r) => r.rpsVsBare === undefined)).toBe(true);
  });
});

describe('formatTable', () => {
  it('aligns every line to the same width, figures right-aligned', () => {
    const lines = formatTable(toRows(run)).split('\n');
    expect(lines).toHaveLength(2 + run.length);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[0]).toMatch(/^scenario\s+load\s+req\/s\s+p50 ms\s+p99 ms/);
    expect(lines[2]).toMatch(/^baseline\s+max c32\s+10,000\s+2\.00\s+4\.00\s/);
    expect(lines[5]).toContain('0.750');
    expect(lines[6]).toMatch(/-\s+-$/);
  });
});

describe('goalLine', () => {
  const goal = { label: 'kit', maxCostPct: 15 };

  it('states the cost, both throughputs and both p99s', () => {
    expect(goalLine('kit-overhead', goal, run)).toBe(
      'kit costs 10.0% of bare Hono throughput (9,000 vs 10,000 req/s) at p99 0.750 vs 0.500 ms ' +
        '(fixed 500 req/s) (goal: < 15%: met); CPU 56 vs 50 µs per request',
    );
  });

  it('says MISSED past the goal', () => {
    const slow = [run[0], run[1], m('kit-overhead', 'max', 1_000, 40)].filter((x) => x !== undefined);
    expect(goalLine('kit-overhead', goal, slow)).toBe(
      'kit costs 90.0% of bare Hono throughput (1,000 vs 10,000 req/s) (goal: < 15%: MISSED); ' +
        'CPU 500 vs 50 µs per request',
    );
  });

  it('says why there is no figure', () => {
    expect(goalLine('kit-overhead', goal, run.slice(2))).toMatch(/no max-throughput figure/);
  });
});

describe('compareLine', () => {
  const pair = [
    m('anonymous', 'max', 4_000, 4),
    m('anonymous', 'fixed', 500, 1, 500),
    m('signed-in', 'max', 3_000, 5),
    m('signed-in', 'fixed', 500, 1.5, 500),
  ];
  const compare = { against: 'anonymous', label: 'signed in' };

  it('states both figures and the difference: throughput, p50 and p99 at the same rate, CPU', () => {
    expect(compareLine('signed-in', compare, pair)).toBe(
      'signed in vs anonymous: 3,000 vs 4,000 req/s (−25.0%); ' +
        'at fixed 500 req/s p50 0.750 vs 0.500 ms (+0.250), p99 1.50 vs 1.00 ms (+0.500); ' +
        'CPU 167 vs 125 µs per request (+42)',
    );
  });

  it('says why there is no figure', () => {
    expect(compareLine('signed-in', compare, pair.slice(2))).toMatch(/no max-throughput figure for both/);
  });
});
