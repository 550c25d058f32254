import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The gateway as main.ts runs it, in front of a stand-in catalog and a stand-in identity (its JWKS
 * and customer tokens), each in its own process so the harness's CPU and memory figures are the
 * gateway's alone. Redis and NATS are the machine's, under a prefix of this process. Scenario env
 * (CACHE_ENABLED, RATE_LIMITS, …) passes through.
 */
async function standIn(file: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim()));
  });
  return `http://127.0.0.1:${port}`;
}

const [catalog, identity] = await Promise.all([
  standIn('./gateway-upstream.ts'),
  standIn('./gateway-auth-identity.ts'),
]);
process.env.UPSTREAM_CATALOG_URL = catalog;
process.env.UPSTREAM_IDENTITY_URL = identity;
process.env.JWKS_URL = `${identity}/.well-known/jwks.json`;
process.env.REDIS_PREFIX ??= `bench-gwauth-${process.pid}:`;
process.env.EVENT_PREFIX ??= `benchgwauth${process.pid}`;
process.env.HOST = '127.0.0.1';
await import('../../../services/gateway/src/main.ts');
