import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfigShape, loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { buildApp } from '../serve.ts';
import { type AccessLogPolicy, accessLogLevel, sampled } from './access-log.ts';
import { createRouter } from './router.ts';

const policy: AccessLogPolicy = { sampleRate: 0, slowMs: 500 };

describe('accessLogLevel', () => {
  it.each([
    // [status, ms, quiet, sampleRate, expected]
    [200, 3, false, 0, 'debug'],
    [200, 3, false, 1, 'info'],
    [304, 3, false, 1, 'info'],
    [404, 3, false, 0, 'info'],
    [422, 3, false, 0, 'info'],
    [500, 3, false, 0, 'error'],
    [503, 3, false, 1, 'error'],
    [200, 500, false, 0, 'warn'],
    [404, 900, false, 0, 'warn'],
    [500, 900, false, 0, 'error'],
    // Probes and scrapes stay at debug, even when failing or slow (a draining pod answers 503).
    [503, 900, true, 1, 'debug'],
    [200, 3, true, 1, 'debug'],
  ] as const)('%i in %i ms, quiet %s, sample %d → %s', (status, ms, quiet, sampleRate, expected) => {
    expect(accessLogLevel({ status, ms, quiet, requestId: 'r-1' }, { ...policy, sampleRate })).toBe(expected);
  });
});

describe('sampled', () => {
  const ids = Array.from({ length: 20_000 }, (_, i) => `req-${i}`);

  it('takes none at 0, all at 1, and about the share asked for in between', () => {
    expect(ids.filter((id) => sampled(id, 0))).toHaveLength(0);
    expect(ids.filter((id) => sampled(id, 1))).toHaveLength(ids.length);
    const share = ids.filter((id) => sampled(id, 0.1)).length / ids.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
  });

  it('decides by the id alone, so every service samples the same requests', () => {
    const first = ids.map((id) => sampled(id, 0.05));
    expect(ids.map((id) => sampled(id, 0.05))).toEqual(first);
    // A higher rate keeps every id a lower one took.
    const wider = ids.map((id) => sampled(id, 0.2));
    expect(first.every((taken, i) => !taken || wider[i])).toBe(true);
  });
});

function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _e, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { log: createLogger({ service: 'access', level, destination }), lines };
}

function service() {
  const app = createRouter();
  app.get('/ok', (c) => c.json({ ok: true }));
  app.get('/boom', () => {
    throw new Error('boom');
  });
  return app;
}

const requestLines = (lines: Record<string, unknown>[]) => lines.filter((l) => l.msg === 'request');
const flush = () => new Promise((r) => setImmediate(r));

describe('the access log in a kit app', () => {
  it('writes ordinary answers at debug, client errors at info and server errors at error', async () => {
    const { log, lines } = capture('debug');
    const { app } = buildApp(service(), { service: 'access', log, accessLog: { sampleRate: 0 } });
    await app.request('/ok', { headers: { 'x-request-id': 'ordinary-1' } });
    await app.request('/nowhere', { headers: { 'x-request-id': 'missing-1' } });
    await app.request('/boom', { headers: { 'x-request-id': 'broken-1' } });
    await flush();
    const byId = Object.fromEntries(requestLines(lines).map((l) => [l.requestId, l]));
    expect(byId['ordinary-1']).toMatchObject({ level: 'debug', method: 'GET', path: '/ok', status: 200 });
    expect(byId['missing-1']).toMatchObject({ level: 'info', path: '/nowhere', status: 404 });
    expect(byId['broken-1']).toMatchObject({ level: 'error', path: '/boom', status: 500 });
  });

  it('writes every answer at info with a sample rate of 1, and none of the ordinary ones with 0', async () => {
    const all = capture();
    const everything = buildApp(service(), { service: 'access', log: all.log, accessLog: { sampleRate: 1 } });
    const none = capture();
    const nothing = buildApp(service(), { service: 'access', log: none.log, accessLog: { sampleRate: 0 } });
    for (let i = 0; i < 5; i++) {
      await everything.app.request('/ok');
      await nothing.app.request('/ok');
    }
    await everything.app.request('/healthz');
    await flush();
    expect(requestLines(all.lines).map((l) => [l.level, l.path])).toEqual(Array(5).fill(['info', '/ok']));
    expect(requestLines(none.lines)).toEqual([]);
  });

  it('writes an answer at warn once it took the slow threshold', async () => {
    const { log, lines } = capture();
    const { app } = buildApp(service(), { service: 'access', log, accessLog: { sampleRate: 0, slowMs: 0 } });
    await app.request('/ok');
    await flush();
    expect(requestLines(lines)).toEqual([expect.objectContaining({ level: 'warn', path: '/ok', status: 200 })]);
  });
});

describe('ACCESS_LOG_SAMPLE and ACCESS_LOG_SLOW_MS', () => {
  const schema = z.object(baseConfigShape);

  it('default to 1% sampled and 1 s slow, and take a share between 0 and 1', () => {
    expect(loadConfig(schema, {})).toMatchObject({ ACCESS_LOG_SAMPLE: 0.01, ACCESS_LOG_SLOW_MS: 1000 });
    expect(loadConfig(schema, { ACCESS_LOG_SAMPLE: '0.25', ACCESS_LOG_SLOW_MS: '250' })).toMatchObject({
      ACCESS_LOG_SAMPLE: 0.25,
      ACCESS_LOG_SLOW_MS: 250,
    });
    expect(() => loadConfig(schema, { ACCESS_LOG_SAMPLE: '2' })).toThrow(/ACCESS_LOG_SAMPLE/);
    expect(() => loadConfig(schema, { ACCESS_LOG_SLOW_MS: '-1' })).toThrow(/ACCESS_LOG_SLOW_MS/);
  });
});
