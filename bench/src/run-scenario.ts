import { runLoad } from './load.ts';
import { sampleProcess } from './process-sampler.ts';
import type { Measurement } from './report.ts';
import { probe, startTarget, type TargetProcess } from './target-process.ts';
import type { BenchRequest, Scenario, ScenarioContext } from './types.ts';

export interface ScenarioRunOptions {
  readonly durationSec: number;
  readonly rate: number;
  readonly connections: number;
  readonly lanes: number;
  readonly warmupSec: number;
  readonly targetLog: string | undefined;
  readonly runId: string;
  readonly log: (message: string) => void;
}

export type Outcome =
  | { readonly status: 'ran'; readonly measurements: readonly Measurement[] }
  /** The target was not there (e.g. the platform is not running): expected, not a failure. */
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string; readonly measurements: readonly Measurement[] };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Only loopback: a benchmark must never be pointed at someone else's machine by a typo. */
export function loopbackOnly(url: string): string | undefined {
  try {
    return new URL(url).hostname === '127.0.0.1' ? undefined : `${url} is not on 127.0.0.1`;
  } catch {
    return `${url} is not a URL`;
  }
}

async function reach(s: Scenario, opts: ScenarioRunOptions): Promise<TargetProcess | { baseUrl: string } | string> {
  const t = s.target;
  if (t.kind === 'spawn') {
    try {
      const readyTimeoutMs = t.readySeconds === undefined ? undefined : t.readySeconds * 1000;
      return await startTarget({
        entry: t.entry,
        ready: t.ready,
        env: t.env,
        logFile: opts.targetLog,
        readyTimeoutMs,
        ports: t.ports,
      });
    } catch (err) {
      return `could not start ${t.entry.pathname}: ${message(err)}`;
    }
  }
  const baseUrl = t.url.replace(/\/+$/, '');
  return loopbackOnly(baseUrl) ?? (await probe(`${baseUrl}${t.ready ?? '/healthz'}`)) ?? { baseUrl };
}

export async function runScenario(s: Scenario, opts: ScenarioRunOptions): Promise<Outcome> {
  const target = await reach(s, opts);
  if (typeof target === 'string') return { status: 'skipped', reason: target };
  const pid = 'pid' in target ? target.pid : undefined;
  const ctx: ScenarioContext = { baseUrl: target.baseUrl, runId: opts.runId, vars: new Map(), log: opts.log };
  const measurements: Measurement[] = [];
  try {
    await s.setup?.(ctx);
    const requests: readonly BenchRequest[] = typeof s.requests === 'function' ? s.requests(ctx) : s.requests;
    if (requests.length === 0) throw new Error('scenario has no requests');
    const loadOf = (mode: 'max' | 'fixed', rate: number | undefined, connections: number, durationSec: number) =>
      runLoad({ baseUrl: target.baseUrl, requests, mode, rate, connections, durationSec });

    // Warm up with the first load's shape: a scenario that writes (orders, carts) at a fixed rate
    // must not be hit at full throughput just to warm the JIT.
    const first = s.loads[0];
    if (opts.warmupSec > 0 && first) {
      await (first.mode === 'max'
        ? loadOf('max', undefined, first.connections ?? opts.connections, opts.warmupSec)
        : loadOf('fixed', first.rate ?? opts.rate, opts.lanes, opts.warmupSec));
    }
    for (const load of s.loads) {
      const sampler = sampleProcess(pid);
      const t0 = performance.now();
      const result =
        load.mode === 'max'
          ? await loadOf('max', undefined, load.connections ?? opts.connections, opts.durationSec)
          : await loadOf('fixed', load.rate ?? opts.rate, opts.lanes, opts.durationSec);
      const wallSec = (performance.now() - t0) / 1000;
      measurements.push({ scenario: s.name, load: result, process: sampler.stop(), wallSec });
      const last = measurements[measurements.length - 1];
      if (last) opts.log(`  ${describe(last)}`);
    }
    return { status: 'ran', measurements };
  } catch (err) {
    return { status: 'failed', reason: message(err), measurements };
  } finally {
    // Also after a failed setup: it may have created part of its data, which teardown finds by runId.
    await s.teardown?.(ctx).catch((err) => opts.log(`  teardown failed: ${message(err)}`));
    if ('stop' in target) await target.stop();
  }
}

function describe(m: Measurement): string {
  const l = m.load;
  const shape = l.mode === 'max' ? `max c${l.connections}` : `fixed ${l.targetRate}/s`;
  return `${shape}: ${Math.round(l.achievedRps)} req/s, p99 ${l.latencyMs.p99.toFixed(3)} ms, ${l.errors} errors, ${l.non2xx} non-2xx`;
}
