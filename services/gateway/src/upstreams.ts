import { Agent } from 'undici';
import { type Circuit, createCircuit } from './circuit.ts';

export interface Upstream {
  readonly name: string;
  /** `http://host:port`, the key of its connection pool. */
  readonly origin: string;
  /** Path prefix from the configured URL ('' when none). */
  readonly basePath: string;
  readonly circuit: Circuit;
}

export interface Upstreams {
  /** undefined: no such upstream (404); 'disabled': switched off in this installation (503). */
  get(name: string): Upstream | 'disabled' | undefined;
  /** Every enabled upstream, for the merged API docs. */
  list(): Upstream[];
  /** One keep-alive pool per origin, bounded; shared by proxying and the docs fetcher. */
  readonly dispatcher: Agent;
  close(): Promise<void>;
}

export interface UpstreamOptions {
  readonly urls: Readonly<Record<string, string>>;
  readonly disabled?: readonly string[];
  readonly connections: number;
  readonly keepAliveMs: number;
  readonly connectTimeoutMs: number;
  readonly circuit: { readonly failures: number; readonly openMs: number };
  readonly now?: () => number;
}

export function createUpstreams(opts: UpstreamOptions): Upstreams {
  const dispatcher = new Agent({
    connections: opts.connections,
    keepAliveTimeout: opts.keepAliveMs,
    keepAliveMaxTimeout: opts.keepAliveMs,
    connect: { timeout: opts.connectTimeoutMs },
    // One request per connection at a time: a slow answer must not hold up the ones queued behind it.
    pipelining: 1,
  });
  const disabled = new Set(opts.disabled ?? []);
  const byName = new Map<string, Upstream>();
  for (const [name, url] of Object.entries(opts.urls)) {
    if (disabled.has(name)) continue;
    const u = new URL(url);
    byName.set(name, {
      name,
      origin: u.origin,
      basePath: u.pathname === '/' ? '' : u.pathname.replace(/\/+$/, ''),
      circuit: createCircuit({ ...opts.circuit, ...(opts.now ? { now: opts.now } : {}) }),
    });
  }
  return {
    get(name) {
      return byName.get(name) ?? (disabled.has(name) && name in opts.urls ? 'disabled' : undefined);
    },
    list: () => [...byName.values()],
    dispatcher,
    close: () => dispatcher.close(),
  };
}
