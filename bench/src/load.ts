import autocannon from 'autocannon';
import { LatencyRecorder, type LatencySummary, summarize } from './latency.ts';
import type { BenchRequest } from './types.ts';

export interface LoadSpec {
  readonly baseUrl: string;
  readonly requests: readonly BenchRequest[];
  readonly mode: 'max' | 'fixed';
  /** Requests per second, for `fixed`. */
  readonly rate?: number;
  /** Connections for `max`; for `fixed`, the number of staggered single-connection lanes. */
  readonly connections: number;
  readonly durationSec: number;
}

export interface LoadResult {
  readonly mode: 'max' | 'fixed';
  readonly targetRate: number | undefined;
  readonly connections: number;
  readonly durationSec: number;
  readonly completed: number;
  readonly achievedRps: number;
  /** Connection errors, timeouts included. */
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly statusCodes: Record<string, number>;
  readonly latencyMs: LatencySummary;
  /** The harness's own CPU while loading; near 100% means the loader, not the target, was the limit. */
  readonly loaderCpuPct: number;
}

// A run that outlives its duration by this much is stopped: a hung target must not hang the run.
const OVERRUN_MS = 30_000;

function runOne(opts: autocannon.Options, latencies: LatencyRecorder): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        ...opts,
        setupClient: (client) => {
          client.on('response', (_status, _bytes, responseTime) => latencies.record(responseTime));
        },
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    const guard = setTimeout(() => instance.stop(), Number(opts.duration ?? 0) * 1000 + OVERRUN_MS);
    instance.once('done', () => clearTimeout(guard));
  });
}

/** How `rate` req/s is shared by `lanes` connections: as evenly as integers allow. */
export function laneRates(rate: number, lanes: number): number[] {
  const n = Math.max(1, Math.min(lanes, rate));
  return Array.from({ length: n }, (_, i) => Math.floor(rate / n) + (i < rate % n ? 1 : 0));
}

/**
 * autocannon's rate limit lets each connection send its whole per-second quota back to back when
 * its one-second timer fires, and every connection of one instance fires together: a 500 req/s
 * "fixed rate" is really a burst at full concurrency followed by silence. So a fixed load is run as
 * single-connection instances started at even offsets across the second; each lane's short burst
 * is sequential, and the target sees a nearly even stream. autocannon's coordinated-omission
 * correction is off because it assumes a 1 ms send interval (it divides 1 by a per-second rate)
 * and would invent latency samples.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies = new LatencyRecorder();
  const base: autocannon.Options = {
    url: spec.baseUrl,
    requests: spec.requests.map((r) => ({ ...r, method: r.method ?? 'GET' })),
    duration: spec.durationSec,
  };
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  let results: autocannon.Result[];
  if (spec.mode === 'max') {
    results = [await runOne({ ...base, connections: spec.connections }, latencies)];
  } else {
    const rates = laneRates(spec.rate ?? 1, spec.connections);
    const step = 1000 / rates.length;
    results = await Promise.all(
      rates.map(async (rate, i) => {
        await new Promise((r) => setTimeout(r, i * step));
        return runOne({ ...base, connections: 1, overallRate: rate, ignoreCoordinatedOmission: true }, latencies);
      }),
    );
  }
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;

  const statusCodes: Record<string, number> = {};
  for (const r of results) {
    for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) {
      statusCodes[code] = (statusCodes[code] ?? 0) + Number(s.count ?? 0);
    }
  }
  const sum = (f: (r: autocannon.Result) => number) => results.reduce((acc, r) => acc + f(r), 0);
  return {
    mode: spec.mode,
    targetRate: spec.mode === 'fixed' ? spec.rate : undefined,
    connections: spec.mode === 'max' ? spec.connections : results.length,
    durationSec: spec.durationSec,
    completed: sum((r) => r.requests.total),
    // Per lane, since staggered lanes start and end at different moments.
    achievedRps: sum((r) => (r.duration > 0 ? r.requests.total / r.duration : 0)),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    statusCodes,
    latencyMs: summarize(latencies.samples()),
    loaderCpuPct: wallMs > 0 ? ((cpu.user + cpu.system) / 1000 / wallMs) * 100 : 0,
  };
}
