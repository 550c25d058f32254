import { describe, expect, it } from 'vitest';
import { createRouter } from './http/router.ts';
import { serve } from './serve.ts';
import { silentLog } from './testing/index.ts';

describe('graceful shutdown', () => {
  it('finishes in-flight requests, refuses new connections, reports not ready, then runs closers in order', async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const service = createRouter();
    service.get('/slow', async (c) => {
      await gate;
      return c.json({ done: true });
    });
    const running = await serve(service, {
      service: 'drain',
      port: 0,
      host: '127.0.0.1',
      log: silentLog(),
      handleSignals: false,
      shutdownGraceMs: 5_000,
      onShutdown: [
        async () => {
          order.push('consumers');
        },
        async () => {
          order.push('pools');
        },
      ],
    });
    const inflight = fetch(`${running.url}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    const closing = running.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual([]);
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    release();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
    expect(order).toEqual(['consumers', 'pools']);
  });

  it('cuts connections that outlive the grace period', async () => {
    const service = createRouter();
    service.get('/forever', () => new Promise<Response>(() => {}));
    const running = await serve(service, {
      service: 'grace',
      port: 0,
      host: '127.0.0.1',
      log: silentLog(),
      handleSignals: false,
      shutdownGraceMs: 200,
    });
    const stuck = fetch(`${running.url}/forever`).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await running.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await stuck).toBeInstanceOf(Error);
  });
});
