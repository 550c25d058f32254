import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The gateway as main.ts runs it, in front of a stand-in catalog in its own process (so the
 * harness's CPU and memory figures are the gateway's alone). Redis and NATS are the machine's,
 * under a key and subject prefix of this process. Scenario env (CACHE_ENABLED, …) passes through.
 */
const upstream = spawn(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('./gateway-upstream.ts', import.meta.url))],
  {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  },
);
process.once('exit', () => upstream.kill('SIGKILL'));
const port = await new Promise<string>((resolve, reject) => {
  upstream.once('exit', (code) => reject(new Error(`bench catalog exited with ${code}`)));
  upstream.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim()));
});

process.env.UPSTREAM_CATALOG_URL = `http://127.0.0.1:${port}`;
process.env.REDIS_PREFIX ??= `bench-gw-${process.pid}:`;
process.env.EVENT_PREFIX ??= `benchgw${process.pid}`;
process.env.HOST = '127.0.0.1';
await import('../../../services/gateway/src/main.ts');
