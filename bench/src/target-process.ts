import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
const STDERR_KEEP = 4_000;

export interface TargetProcess {
  readonly pid: number;
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/** Asks the kernel for a free loopback port; another process could take it first, which is rare. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

/**
 * The first of `n` consecutive free loopback ports, for a target that shifts several servers by
 * its own port (the launcher). Below the kernel's ephemeral range: there an outgoing connection of
 * the target itself could take one of the ports before its server listens.
 */
export async function freePortBlock(n: number): Promise<number> {
  let ephemeralStart = 32_768;
  try {
    ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    // not Linux: the usual start
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * Math.max(1, ephemeralStart - 10_000 - n));
    let free = true;
    for (let p = base; p < base + n && free; p++) free = await canListen(p);
    if (free) return base;
  }
  throw new Error(`found no ${n} consecutive free ports below ${ephemeralStart}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tcpConnect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** One probe of `url`: undefined when it answered 2xx, else why not. */
export async function probe(url: string, timeoutMs = 2_000): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok ? undefined : `${url} answered ${res.status}`;
  } catch (err) {
    return `${url}: ${(err as Error).cause ?? (err as Error).message}`;
  }
}

const children = new Set<ChildProcess>();
// If the harness dies mid-run, leave no server behind.
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/**
 * Starts `node --import tsx <entry>` with PORT set and waits until it is ready. Its own pid is the
 * node process (no shell or npm in between), so /proc figures are the target's alone.
 */
export async function startTarget(opts: {
  entry: URL;
  ready: 'port' | `/${string}`;
  env?: Readonly<Record<string, string>>;
  logFile?: string | undefined;
  readyTimeoutMs?: number | undefined;
  ports?: number | undefined;
}): Promise<TargetProcess> {
  const port = opts.ports && opts.ports > 1 ? await freePortBlock(opts.ports) : await freePort();
  const stdout = opts.logFile ? openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(opts.entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...opts.env, PORT: String(port) },
    stdio: ['ignore', stdout, 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-STDERR_KEEP);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => children.delete(child));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const readyTimeoutMs = opts.readyTimeoutMs ?? READY_TIMEOUT_MS;
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`target exited with ${child.exitCode}: ${stderr.trim()}`);
    const ready = opts.ready === 'port' ? await portOpen(port) : (await probe(`${baseUrl}${opts.ready}`)) === undefined;
    if (ready && child.pid !== undefined) return { pid: child.pid, baseUrl, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`target not ready after ${readyTimeoutMs} ms: ${stderr.trim() || 'no output'}`);
}
