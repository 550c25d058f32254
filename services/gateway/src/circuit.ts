/**
 * A per-upstream circuit breaker. After `failures` consecutive transport failures (refused,
 * reset, timed out) the circuit opens and callers get a 503 at once instead of queueing on a dead
 * service; after `openMs` one trial request is let through, and its outcome closes or reopens it.
 * HTTP error statuses are answers, not transport failures, and do not count.
 */
export interface Circuit {
  /** False while open, and for all but one caller while a trial is in flight. */
  allow(): boolean;
  success(): void;
  failure(): void;
  readonly state: 'closed' | 'open' | 'half-open';
  /** Milliseconds until a trial is allowed (0 unless open). */
  retryInMs(): number;
}

export function createCircuit(opts: { failures: number; openMs: number; now?: () => number }): Circuit {
  const now = opts.now ?? Date.now;
  let consecutive = 0;
  let openedAt = -1;
  let trialInFlight = false;

  const isOpen = () => openedAt >= 0;
  return {
    get state() {
      if (!isOpen()) return 'closed';
      return now() - openedAt >= opts.openMs ? 'half-open' : 'open';
    },
    allow() {
      if (!isOpen()) return true;
      if (now() - openedAt < opts.openMs || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    success() {
      consecutive = 0;
      openedAt = -1;
      trialInFlight = false;
    },
    failure() {
      consecutive += 1;
      if (trialInFlight || consecutive >= opts.failures) openedAt = now();
      trialInFlight = false;
    },
    retryInMs() {
      return isOpen() ? Math.max(0, opts.openMs - (now() - openedAt)) : 0;
    },
  };
}
