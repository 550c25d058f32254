import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const COLORS = [36, 35, 33, 32, 34, 91, 92, 93, 94, 95, 96, 31, 90, 37];
const LEVEL_COLOR: Record<string, number> = { error: 31, fatal: 31, warn: 33, info: 32, debug: 90, trace: 90 };

export interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  readonly name: string;
  readonly port: number;
  readonly entry: string;
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly index: number;
  /** `pretty`: one readable line per log record; `json`: the services' own JSON lines. */
  readonly format: 'pretty' | 'json';
  readonly write: (line: string) => void;
}

/** Turns a pino JSON line into `12:00:01 catalog info  message  key=value`. */
export function prettyLine(name: string, raw: string, color: number, tty: boolean): string {
  const paint = (code: number, s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return `${paint(color, name.padEnd(14))} ${raw}`;
  }
  const { time, level, msg, service: _s, pid: _p, hostname: _h, ...rest } = rec;
  const t = typeof time === 'string' ? time.slice(11, 19) : '';
  const lvl = String(level ?? 'info');
  const extra = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${t} ${paint(color, name.padEnd(14))} ${paint(LEVEL_COLOR[lvl] ?? 37, lvl.padEnd(5))} ${String(msg ?? '')}${extra ? `  ${paint(90, extra)}` : ''}`;
}

/**
 * Runs one service as its own process and restarts it if it dies (at most 5 times a minute),
 * the way a Deployment would; its output is prefixed so the developer can tell services apart.
 */
export function startService(opts: SpawnOptions): ServiceProcess {
  const color = COLORS[opts.index % COLORS.length] ?? 37;
  const tty = process.stdout.isTTY === true;
  let child: ChildProcess | undefined;
  let stopping = false;
  const restarts: number[] = [];

  const launch = () => {
    child = spawn(process.execPath, ['--import', 'tsx', opts.entry], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) =>
        opts.write(opts.format === 'json' ? line : prettyLine(opts.name, line, color, tty)),
      );
    }
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      while (restarts.length && (restarts[0] ?? 0) < now - 60_000) restarts.shift();
      if (restarts.length >= 5) {
        opts.write(`${opts.name} exited (${signal ?? code}) 5 times in a minute; not restarting it`);
        return;
      }
      restarts.push(now);
      opts.write(`${opts.name} exited (${signal ?? code}); restarting in 1 s`);
      setTimeout(() => {
        if (!stopping) launch();
      }, 1_000).unref();
    });
  };
  launch();

  return {
    name: opts.name,
    port: opts.port,
    stop: () =>
      new Promise((resolve) => {
        stopping = true;
        const c = child;
        if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
        setTimeout(() => c.kill('SIGKILL'), 25_000).unref();
      }),
  };
}

export async function waitReady(url: string, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}
