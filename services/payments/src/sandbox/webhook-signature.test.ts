import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from './webhook-signature.ts';

const secret = 'whsec-test-0123456789';
const body = '{"id":"evt_1","type":"intent.succeeded"}';
const now = 1_800_000_000;

describe('sandbox webhook signatures', () => {
  it('accepts its own signature within the tolerance, in either direction', () => {
    expect(verifySignature(body, signPayload(body, secret, now), secret, now)).toEqual({ ok: true });
    expect(verifySignature(body, signPayload(body, secret, now - 300), secret, now).ok).toBe(true);
    expect(verifySignature(body, signPayload(body, secret, now + 300), secret, now).ok).toBe(true);
  });

  it('accepts any one matching v1 among several (secret rotation)', () => {
    const header = `${signPayload(body, 'old-secret-0123456789', now)},v1=${signPayload(body, secret, now).split('v1=')[1]}`;
    expect(verifySignature(body, header, secret, now).ok).toBe(true);
  });

  it.each([
    ['another secret', signPayload(body, 'other-secret-012345678', now), body],
    ['an altered body', signPayload(body, secret, now), body.replace('evt_1', 'evt_2')],
    ['a stale timestamp', signPayload(body, secret, now - 301), body],
    ['no header', undefined, body],
    ['garbage', 't=abc,v1=zz', body],
    ['no v1', `t=${now}`, body],
    ['a short v1', `t=${now},v1=abcd`, body],
  ])('refuses %s', (_what, header, payload) => {
    expect(verifySignature(payload, header, secret, now).ok).toBe(false);
  });
});
