import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real processes for the chaos test: a private nats-server (JetStream on a temp dir) and services
 * run from their main.ts, each supervised (restarted after it dies, as Kubernetes would).
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function natsServer() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'chaos-nats-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: 'ignore' });
    await waitPort(port);
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    async restart() {
      child?.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      await start();
    },
    async close() {
      child?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitPort(port: number, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = createServer();
      s.once('error', () => r(true));
      s.listen(port, '127.0.0.1', () => s.close(() => r(false)));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`port ${port} did not open`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Service {
  readonly name: string;
  readonly url: string;
  /** SIGKILL; the supervisor starts it again. */
  kill(): void;
  readonly restarts: number;
  ready(ms?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function service(
  name: string,
  env: Record<string, string>,
  firstEnv: Record<string, string> = {},
): Promise<Service> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let first = true;
  const start = () => {
    const e = { ...process.env, ...env, ...(first ? firstEnv : {}), PORT: String(port), HOST: '127.0.0.1' };
    first = false;
    child = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
      cwd: ROOT,
      env: e,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d) => {
      err = (err + String(d)).slice(-2000);
    });
    child.on('exit', () => {
      if (stopping) return;
      if (process.env.CHAOS_VERBOSE) process.stderr.write(`[${name}] exited; restarting\n${err}\n`);
      restarts++;
      setTimeout(start, 300);
    });
  };
  start();
  const url = `http://127.0.0.1:${port}`;
  return {
    name,
    url,
    kill: () => child?.kill('SIGKILL'),
    get restarts() {
      return restarts;
    },
    async ready(ms = 30_000) {
      const until = Date.now() + ms;
      for (;;) {
        const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        if (Date.now() > until) throw new Error(`${name} not ready after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      stopping = true;
      child?.kill('SIGKILL');
    },
  };
}
