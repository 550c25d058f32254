import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real processes for the chaos test: a private Postgres cluster and a private nats-server
 * (JetStream on a temp dir), both restarted for real, and services run from their main.ts, each
 * supervised (restarted after it dies, as Kubernetes would).
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

/** On PATH, else where Debian's package puts it (/usr/sbin is not on every user's PATH). */
function natsBin(): string {
  const onPath = (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, 'nats-server')));
  return onPath || !existsSync('/usr/sbin/nats-server') ? 'nats-server' : '/usr/sbin/nats-server';
}

export async function natsServer() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'chaos-nats-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(natsBin(), ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: 'ignore' });
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

/** The server binaries: PG_BIN, else the newest /usr/lib/postgresql/<version>/bin (Debian), else PATH. */
function pgBin(name: string): string {
  if (process.env.PG_BIN) return join(process.env.PG_BIN, name);
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', name))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? join(root, newest, 'bin', name) : name;
}

/**
 * A private Postgres cluster: initdb into a temp dir (trust auth, no fsync: nothing here must
 * survive the machine), started with pg_ctl on a free port of 127.0.0.1 with its socket in that
 * dir. Postgres refuses to run as root, so as root every command runs as the `postgres` user,
 * which then owns the dir. `restart()` is real: `pg_ctl stop -m fast` (every session cut, a
 * checkpoint), a moment down, `pg_ctl start` on the same data. `close()` stops it and removes the
 * dir; so does the process's exit, should a test end without its afterAll.
 */
export async function postgresServer() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'chaos-pg-'));
  const data = join(dir, 'data');
  const root = process.getuid?.() === 0;
  if (root) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const argv = (bin: string, args: string[]) =>
    root ? (['runuser', ['-u', 'postgres', '--', pgBin(bin), ...args]] as const) : ([pgBin(bin), args] as const);
  const run = (bin: string, args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const [cmd, a] = argv(bin, args);
      execFile(cmd, a, { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${bin} ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  const ctl = (...args: string[]) => run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', ...args]);
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      const [cmd, a] = argv('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      execFileSync(cmd, a, { stdio: 'ignore', timeout: 30_000 });
    } catch {
      // Not running (or never started): nothing to stop.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  try {
    await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    await ctl('-o', options, 'start');
  } catch (err) {
    stopNow();
    throw err;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    /**
     * A real restart: fast shutdown (every session cut, checkpoint), down for `downMs` (new
     * connections refused meanwhile), then started again on the same data.
     */
    async restart(downMs = 1_500) {
      await ctl('-m', 'fast', 'stop');
      await new Promise((r) => setTimeout(r, downMs));
      await ctl('-o', options, 'start');
    },
    async close() {
      process.removeListener('exit', stopNow);
      stopNow();
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
