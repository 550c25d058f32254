import { type ChildProcess, spawn } from 'node:child_process';
import { connect as connectTcp, createServer } from 'node:net';
import { buildApp, createMetrics, createRedis, createRouter, type Redis, serve } from '@storefront/kit';
import { silentLog, testEnv, testRedisPrefix } from '@storefront/kit/testing';
import { createApp } from './app.ts';
import { createCacheStore } from './cache-store.ts';
import type { ClientKey } from './client-key.ts';
import { gatewayConfig, internalPaths, upstreamNames } from './config.ts';
import { createGatewayMetrics } from './gateway-metrics.ts';
import { createRedisGuard } from './redis-guard.ts';
import { createUpstreams } from './upstreams.ts';

/** A tiny upstream service on a random port: a kit router the test fills with routes. */
export async function startUpstream(build: (app: ReturnType<typeof createRouter>) => void) {
  const router = createRouter();
  build(router);
  const running = await serve(router, {
    service: 'upstream',
    port: 0,
    host: '127.0.0.1',
    log: silentLog(),
    handleSignals: false,
    shutdownGraceMs: 0,
  });
  return { url: running.url, port: running.port, close: () => running.close() };
}

/** A port nothing listens on (found by listening and closing). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A private redis-server the test may kill and restart; never the machine's Redis.
 * No persistence, so a restart is an empty server, as after a real crash.
 */
export async function startPrivateRedis() {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], {
      stdio: 'ignore',
    });
    const probe = createRedis({ url: `redis://127.0.0.1:${port}`, prefix: '' });
    try {
      await waitFor(async () => (await probe.ping()) === 'PONG', `redis-server on ${port}`);
    } finally {
      probe.disconnect();
    }
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  };
  // SIGSTOP: the server keeps its socket open but answers nothing, like a hung or partitioned Redis.
  const pause = () => child?.kill('SIGSTOP');
  const resume = () => child?.kill('SIGCONT');
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop, pause, resume };
}

/** A private nats-server (no JetStream) the test may kill and restart on the same port. */
export async function startPrivateNats() {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const socket = connectTcp(port, '127.0.0.1', () => {
            socket.destroy();
            resolve(true);
          });
          socket.once('error', () => resolve(false));
        }),
      `nats-server on ${port}`,
    );
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  };
  await start();
  return { url: `nats://127.0.0.1:${port}`, start, stop };
}

export interface TestGatewayOptions {
  /** Upstream URLs by name; every other upstream points at a port nothing listens on. */
  readonly urls?: Record<string, string>;
  readonly env?: Record<string, string>;
  /** Defaults to the machine's Redis under a fresh test prefix; `null` runs without Redis. */
  readonly redis?: Redis | null;
  readonly redisPrefix?: string;
  readonly clientKey?: ClientKey;
}

/** The gateway wired as main.ts wires it, on the kit's app, for in-memory `request()` calls. */
export async function testGateway(opts: TestGatewayOptions = {}) {
  const dead = `http://127.0.0.1:${await freePort()}`;
  // Tokens are checked against nothing that answers unless a test brings a JWKS (test-identity.ts).
  const config = gatewayConfig.parse({
    RATE_LIMIT_ENABLED: 'false',
    JWKS_URL: `${dead}/.well-known/jwks.json`,
    ...opts.env,
  });
  const urls = Object.fromEntries(upstreamNames().map((n) => [n, opts.urls?.[n] ?? dead]));
  const prefix = opts.redisPrefix ?? testRedisPrefix();
  const redis = opts.redis === null ? undefined : (opts.redis ?? createRedis({ url: testEnv().redisUrl, prefix }));
  if (redis && redis.status !== 'ready') await new Promise((r) => redis.once('ready', r)).catch(() => {});
  const kitMetrics = createMetrics({ service: 'gateway', runtime: false });
  const metrics = createGatewayMetrics(kitMetrics);
  const log = silentLog();
  const guard = createRedisGuard({
    redis,
    skipMs: config.REDIS_SKIP_MS,
    onDegraded: (d) => metrics.redisDegraded.set(d ? 1 : 0),
    onSkip: (op) => metrics.redisSkipped.inc({ op }),
  });
  const cache = createCacheStore(guard, prefix);
  const upstreams = createUpstreams({
    urls,
    disabled: config.DISABLED_SERVICES,
    connections: config.UPSTREAM_CONNECTIONS,
    keepAliveMs: config.UPSTREAM_KEEPALIVE_MS,
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
    circuit: { failures: config.CIRCUIT_FAILURES, openMs: config.CIRCUIT_OPEN_MS },
  });
  const router = createApp({
    config,
    upstreams,
    guard,
    cache,
    metrics,
    log,
    ...(opts.clientKey ? { clientKey: opts.clientKey } : {}),
  });
  const kit = buildApp(router, {
    service: 'gateway',
    log,
    metrics: kitMetrics,
    bodyLimit: config.BODY_LIMIT,
    internalPaths: internalPaths(config),
  });
  const listening: { close(): Promise<void> }[] = [];
  return {
    /** The same gateway on a real socket, for what only a socket has (peer address, disconnects). */
    async listen() {
      const running = await serve(router, {
        service: 'gateway',
        port: 0,
        host: '127.0.0.1',
        log,
        bodyLimit: config.BODY_LIMIT,
        internalPaths: internalPaths(config),
        handleSignals: false,
        shutdownGraceMs: 0,
      });
      listening.push(running);
      return running.url;
    },
    app: kit.app,
    request: (path: string, init?: RequestInit) => Promise.resolve(kit.app.request(path, init)),
    config,
    cache,
    guard,
    upstreams,
    metrics,
    kitMetrics,
    redis,
    async close() {
      for (const l of listening) await l.close();
      await upstreams.close();
      if (redis && opts.redis === undefined) redis.disconnect();
    },
  };
}
