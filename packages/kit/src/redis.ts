import { Redis } from 'ioredis';

export type { Redis } from 'ioredis';

export interface RedisOptions {
  readonly url: string;
  /** Every key is written under this prefix (ioredis applies it to every command). */
  readonly prefix: string;
  /** Commands fail fast instead of queueing forever while Redis is down. */
  readonly commandTimeoutMs?: number;
}

/**
 * Redis is disposable here (a cache, rate limits, hot sets), so the client fails fast when the
 * server is away rather than queueing: callers degrade, they do not hang.
 */
export function createRedis(opts: RedisOptions): Redis {
  const client = new Redis(opts.url, {
    keyPrefix: opts.prefix,
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: opts.commandTimeoutMs ?? 500,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    // Only a failover (a replica answering READONLY) warrants a new connection; any other error
    // reply (a missing script, out of memory) is the command's failure, not the connection's.
    reconnectOnError: (err) => err.message.startsWith('READONLY'),
  });
  // Connection errors are reported through readiness and the callers' own failures.
  client.on('error', () => {});
  return client;
}

export async function pingRedis(client: Redis): Promise<void> {
  const pong = await client.ping();
  if (pong !== 'PONG') throw new Error(`redis answered ${pong}`);
}
