import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testEnv, testEventPrefix, testRedisPrefix, uniqueSuffix } from '@storefront/kit/testing';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Platform {
  readonly gatewayUrl: string;
  readonly adminToken: string;
  /** The bootstrapped first admin (MFA not yet enrolled). */
  readonly admin: { readonly email: string; readonly password: string };
  readonly failed: string[];
  readonly output: string[];
  readonly child: ChildProcess;
  /** Ctrl-C, as a developer would; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the platform exactly as `npm start` does (the same launcher), on ports, a database, a
 * Redis prefix and a stream prefix of this test run's own, and waits until it reports ready.
 */
export async function startPlatform(
  opts: {
    services?: string[];
    seedProducts?: number;
    /** Extra environment for the launcher and so every service (a payment provider's settings…). */
    env?: Record<string, string>;
  } = {},
): Promise<Platform> {
  const env = testEnv();
  // Each platform gets its own database and roles (the launcher creates the database), so two
  // journeys running at once never share a schema or a bootstrapped admin.
  const own = `${env.runId}_${uniqueSuffix()}`;
  const databaseUrl = new URL(env.databaseUrl);
  databaseUrl.pathname = `/sf_${own}`;
  const dir = mkdtempSync(join(tmpdir(), 'sf-e2e-'));
  const readyFile = join(dir, 'ready.json');
  // Below the kernel's ephemeral range (32768+): there the platform's own outgoing connections can
  // take a port one of its services (the gateway's port + 1…13) is about to listen on.
  const gatewayPort = 20_000 + Math.floor(Math.random() * 12_000);
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'k8s-dev/launcher/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: env.redisUrl,
      NATS_URL: env.natsUrl,
      REDIS_PREFIX: testRedisPrefix(),
      EVENT_PREFIX: testEventPrefix(),
      DB_ROLE_PREFIX: `${own}_`,
      GATEWAY_PORT: String(gatewayPort),
      DATA_DIR: join(dir, 'data'),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      SEED_PRODUCTS: String(opts.seedProducts ?? 300),
      SERVICES: (opts.services ?? []).join(','),
      LAUNCHER_READY_FILE: readyFile,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 150_000;
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the launcher did not become ready:\n${output.join('').slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as {
    gatewayUrl: string;
    failed: string[];
    adminToken: string;
    adminEmail: string;
    adminPassword: string;
  };
  return {
    gatewayUrl: ready.gatewayUrl.replace('localhost', '127.0.0.1'),
    adminToken: ready.adminToken,
    admin: { email: ready.adminEmail, password: ready.adminPassword },
    failed: ready.failed,
    output,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const code = await exited;
      // The launcher's data dir (generated secrets, ready file) goes with the platform.
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
