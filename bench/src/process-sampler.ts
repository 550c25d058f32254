import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseProcStatTicks, parseProcStatus } from './proc-status.ts';

export interface ProcessSample {
  /** Highest VmRSS seen while sampling (every 100 ms), kB. */
  readonly peakRssKb: number | undefined;
  /** VmHWM when sampling stopped: the life-long peak, including earlier loads. */
  readonly hwmKb: number | undefined;
  /** CPU seconds (user + system) the process spent while sampling. */
  readonly cpuSeconds: number | undefined;
}

export interface Sampler {
  stop(): ProcessSample;
}

const INTERVAL_MS = 100;

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100; // what every mainstream Linux kernel uses
    }
  }
  return ticksPerSecond;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process exited; keep what was sampled
  }
}

/** Samples another process's memory and CPU from /proc; without a pid it samples nothing. */
export function sampleProcess(pid: number | undefined): Sampler {
  if (pid === undefined) return { stop: () => ({ peakRssKb: undefined, hwmKb: undefined, cpuSeconds: undefined }) };
  const statusPath = `/proc/${pid}/status`;
  const statPath = `/proc/${pid}/stat`;
  const hz = clockTicks();
  const startTicks = parseProcStatTicks(read(statPath) ?? '');
  let peak: number | undefined;
  const tick = () => {
    const rss = parseProcStatus(read(statusPath) ?? '').rssKb;
    if (rss !== undefined && (peak === undefined || rss > peak)) peak = rss;
  };
  tick();
  const timer = setInterval(tick, INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      tick();
      const endTicks = parseProcStatTicks(read(statPath) ?? '');
      return {
        peakRssKb: peak,
        hwmKb: parseProcStatus(read(statusPath) ?? '').hwmKb,
        cpuSeconds: startTicks !== undefined && endTicks !== undefined ? (endTicks - startTicks) / hz : undefined,
      };
    },
  };
}
