/**
 * The scenario contract. A scenario names what to load, with which requests and at which shapes;
 * the harness owns processes, load generation, sampling and the report, so adding a scenario is one
 * small file plus one line in `scenarios/index.ts`.
 */

export interface BenchRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/products?limit=20`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What answers the load. */
export type Target =
  /** A child process the harness starts (`node --import tsx <entry>` with PORT set) and stops. */
  | {
      readonly kind: 'spawn';
      readonly entry: URL;
      /** `'port'`: ready once the port accepts; a path: ready once it answers 2xx. */
      readonly ready: 'port' | `/${string}`;
      readonly env?: Readonly<Record<string, string>>;
      /** How long it may take to become ready; default 20 s (a whole platform needs more). */
      readonly readySeconds?: number;
      /** Consecutive ports it listens on from PORT (the launcher shifts every service by it); default 1. */
      readonly ports?: number;
    }
  /** Something already running (the dev platform); skipped with the reason when it is not reachable. */
  | {
      readonly kind: 'url';
      /** Base URL; only 127.0.0.1 is accepted. */
      readonly url: string;
      /** Probed before loading; default `/healthz`. */
      readonly ready?: `/${string}`;
    };

/** `max`: closed loop, as fast as the target answers. `fixed`: a steady request rate, for latency. */
export type Load =
  | { readonly mode: 'max'; readonly connections?: number }
  /** Without `rate`, the run's `--rate`, so every scenario's fixed load is comparable to the baseline's. */
  | { readonly mode: 'fixed'; readonly rate?: number };

export interface ScenarioContext {
  /** e.g. `http://127.0.0.1:41237`, no trailing slash. */
  readonly baseUrl: string;
  /** Prefix for anything setup creates, so teardown can find and remove it. */
  readonly runId: string;
  /** Values setup hands to `requests` (ids, tokens); strings because that is what requests carry. */
  readonly vars: Map<string, string>;
  log(message: string): void;
}

export interface Scenario {
  readonly name: string;
  /** One line: what the figures mean. */
  readonly description: string;
  readonly target: Target;
  /** Cycled in order by every connection; a function is called after setup (to use ids it made). */
  readonly requests: readonly BenchRequest[] | ((ctx: ScenarioContext) => readonly BenchRequest[]);
  readonly loads: readonly Load[];
  /** Seconds per load when the run does not pass `--duration`. */
  readonly duration?: number;
  /** Prints "<label> costs X% of bare Hono throughput ..." against the baseline. */
  readonly goal?: { readonly label: string; readonly maxCostPct: number };
  /**
   * Prints "<label> vs <against>: …": the difference in throughput, latency and CPU per request
   * from another scenario of the run, which is then always run before this one (like the baseline).
   */
  readonly compare?: { readonly against: string; readonly label: string };
  setup?(ctx: ScenarioContext): Promise<void>;
  teardown?(ctx: ScenarioContext): Promise<void>;
}
