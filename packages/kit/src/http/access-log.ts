export type AccessLevel = 'error' | 'warn' | 'info' | 'debug';

export interface AccessLogPolicy {
  /** Share (0–1) of ordinary answers — below 400, not slow — logged at info; the rest at debug. */
  readonly sampleRate: number;
  /** Answers that took at least this long are logged at warn, whatever their status. */
  readonly slowMs: number;
}

export const DEFAULT_ACCESS_LOG: AccessLogPolicy = { sampleRate: 0.01, slowMs: 1000 };

/** Health probes and scrapes. */
export const QUIET_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'];

export interface AccessLogOptions extends Partial<AccessLogPolicy> {
  /** Health probes and scrapes: always at debug. */
  readonly quietPaths?: readonly string[];
}

/**
 * The level of one request's line. A line per request at info cost more CPU than the whole rest
 * of the kit (bench/README.md, kit-overhead), so only what an operator reads is at info or above:
 * server errors, slow answers, client errors and a sample of the rest. `LOG_LEVEL=debug` shows all.
 */
export function accessLogLevel(
  req: { readonly status: number; readonly ms: number; readonly quiet: boolean; readonly requestId: string },
  policy: AccessLogPolicy,
): AccessLevel {
  if (req.quiet) return 'debug';
  if (req.status >= 500) return 'error';
  if (req.ms >= policy.slowMs) return 'warn';
  if (req.status >= 400) return 'info';
  return sampled(req.requestId, policy.sampleRate) ? 'info' : 'debug';
}

/**
 * Sampling by a hash of the request id rather than at random: the gateway passes its id on, so a
 * request that is sampled is sampled in every service it reaches and its lines can be followed.
 */
export function sampled(requestId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  // FNV-1a, 32 bits.
  let h = 0x811c9dc5;
  for (let i = 0; i < requestId.length; i++) {
    h ^= requestId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000 < rate;
}
