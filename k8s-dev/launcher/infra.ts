import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

/** A dependency the platform needs: where it should be, and how to run a private one if it isn't. */
export interface Infra {
  readonly name: 'postgres' | 'redis' | 'nats';
  readonly host: string;
  readonly port: number;
  readonly install: string;
}

export function reachable(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function which(bin: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function postgresBin(tool: string): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const p = join(root, v, 'bin', tool);
      if (existsSync(p)) return p;
    }
  }
  return which(tool);
}

export interface Started {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

function track(child: ChildProcess): Started {
  return {
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/**
 * Starts a private instance under the project's data folder, or says exactly what to install.
 * Postgres refuses to run as root, so as root it runs as the `postgres` system user.
 */
export function startPrivate(infra: Infra, dataDir: string): Started | { missing: string } {
  const dir = join(dataDir, infra.name);
  mkdirSync(dir, { recursive: true });
  if (infra.name === 'redis') {
    const bin = which('redis-server');
    if (!bin) return { missing: infra.install };
    return track(
      spawn(
        bin,
        ['--port', String(infra.port), '--bind', infra.host, '--save', '', '--appendonly', 'no', '--dir', dir],
        {
          stdio: 'ignore',
        },
      ),
    );
  }
  if (infra.name === 'nats') {
    const bin = which('nats-server') ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : undefined);
    if (!bin) return { missing: infra.install };
    return track(spawn(bin, ['-a', infra.host, '-p', String(infra.port), '-js', '-sd', dir], { stdio: 'ignore' }));
  }
  const initdb = postgresBin('initdb');
  const postgres = postgresBin('postgres');
  if (!initdb || !postgres) return { missing: infra.install };
  const asRoot = process.getuid?.() === 0;
  const wrap = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const pgdata = join(dir, 'data');
  if (asRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    const [c, a] = wrap(initdb, ['-D', pgdata, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    execFileSync(c, a, { stdio: 'ignore' });
  }
  const [c, a] = wrap(postgres, ['-D', pgdata, '-p', String(infra.port), '-h', infra.host, '-k', dir]);
  return track(spawn(c, a, { stdio: 'ignore' }));
}

export async function waitReachable(host: string, port: number, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable(host, port, 250)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
