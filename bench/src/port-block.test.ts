import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePortBlock } from './target-process.ts';

const listen = (port: number) =>
  new Promise<() => Promise<void>>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(() => new Promise((r) => srv.close(() => r()))));
  });

describe('freePortBlock', () => {
  it('returns consecutive free ports below the ephemeral range', async () => {
    const ephemeralStart = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    const base = await freePortBlock(14);
    expect(base + 14).toBeLessThanOrEqual(ephemeralStart);
    const closers = [];
    for (let p = base; p < base + 14; p++) closers.push(await listen(p));
    await Promise.all(closers.map((close) => close()));
  });
});
