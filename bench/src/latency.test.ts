import { describe, expect, it } from 'vitest';
import { LatencyRecorder, percentile, summarize } from './latency.ts';

describe('percentile', () => {
  const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);

  it.each([
    [50, 50],
    [99, 99],
    [100, 100],
    [0, 1],
  ])('p%d of 1..100 is %d (nearest rank)', (p, want) => {
    expect(percentile(hundred, p)).toBe(want);
  });

  it('is NaN with no samples', () => {
    expect(percentile(new Float64Array(0), 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts a copy and keeps sub-millisecond values', () => {
    const samples = Float64Array.from([0.9, 0.1, 0.5, 2.25]);
    expect(summarize(samples)).toEqual({ count: 4, p50: 0.5, p90: 2.25, p99: 2.25, max: 2.25 });
    expect([...samples]).toEqual([0.9, 0.1, 0.5, 2.25]);
  });
});

describe('LatencyRecorder', () => {
  it('keeps everything up to its capacity', () => {
    const r = new LatencyRecorder(10);
    for (let i = 0; i < 5; i++) r.record(i);
    expect([...r.samples()]).toEqual([0, 1, 2, 3, 4]);
  });

  it('stays within its capacity past it, counting everything seen', () => {
    const r = new LatencyRecorder(4, () => 0.99);
    for (let i = 0; i < 100; i++) r.record(i);
    expect(r.seen).toBe(100);
    expect(r.samples().length).toBe(4);
  });
});
