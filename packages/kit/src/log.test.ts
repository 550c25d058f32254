import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubText } from './log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('masks card numbers, tokens and bearer credentials in text', () => {
    expect(scrubText('card 4242 4242 4242 4242 ok')).toBe('card [card ****4242] ok');
    expect(scrubText('pan=4000000000003220')).toBe('pan=[card ****3220]');
    expect(scrubText('Authorization: Bearer abcdefghijklmnop')).toBe('Authorization: Bearer [redacted]');
    expect(scrubText('t=eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl')).toBe('t=[jwt]');
    expect(scrubText('order 12345 for 2 items')).toBe('order 12345 for 2 items');
  });

  it('redacts secret keys and scrubs nested values, keeps the rest', async () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 'test', destination });
    log.info(
      { password: 'hunter2', user: { email: 'a@b.c', refreshToken: 'r' }, note: 'paid with 5555555555554444' },
      'login for 4111-1111-1111-1111',
    );
    await new Promise((r) => setImmediate(r));
    const line = lines[0] ?? {};
    expect(line.password).toBe('[redacted]');
    expect(line.user).toEqual({ email: 'a@b.c', refreshToken: '[redacted]' });
    expect(line.note).toBe('paid with [card ****4444]');
    expect(line.msg).toBe('login for [card ****1111]');
    expect(line.service).toBe('test');
    expect(line.level).toBe('info');
  });
});

describe('logger redaction depth', () => {
  it('censors secret keys at any depth and in any case', async () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 'test', destination }).child({ requestId: 'r1' });
    log.info({ a: { b: { c: { Authorization: 'Bearer x', ok: 1 } } }, headers: { cookie: 'sid=1' } }, 'deep');
    await new Promise((r) => setImmediate(r));
    const line = lines[0] ?? {};
    expect(line.a).toEqual({ b: { c: { Authorization: '[redacted]', ok: 1 } } });
    expect(line.headers).toEqual({ cookie: '[redacted]' });
    expect(line.requestId).toBe('r1');
  });
});
