/** Latency percentiles in milliseconds, kept to the microsecond (autocannon's own are whole ms). */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function summarize(samples: Float64Array): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

/**
 * Holds every response time up to `capacity`, then a uniform random sample of them (reservoir), so
 * memory stays bounded however long or fast a run is.
 */
export class LatencyRecorder {
  readonly #buf: Float64Array;
  #seen = 0;
  readonly #random: () => number;

  constructor(capacity = 4_000_000, random: () => number = Math.random) {
    this.#buf = new Float64Array(capacity);
    this.#random = random;
  }

  record(ms: number): void {
    const i = this.#seen++;
    if (i < this.#buf.length) this.#buf[i] = ms;
    else {
      const j = Math.floor(this.#random() * (i + 1));
      if (j < this.#buf.length) this.#buf[j] = ms;
    }
  }

  get seen(): number {
    return this.#seen;
  }

  samples(): Float64Array {
    return this.#buf.subarray(0, Math.min(this.#seen, this.#buf.length));
  }
}
