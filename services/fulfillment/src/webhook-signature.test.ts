import { describe, expect, it } from 'vitest';
import { signature, verifySignature } from './webhook-signature.ts';

const secret = 'whsec-test-0123456789abcdef';
const body = '{"id":"e1","status":"picked_up"}';
const now = new Date('2030-01-01T00:00:00Z');
const t = Math.floor(now.getTime() / 1000);

describe('verifySignature', () => {
  it('accepts a signature over the exact bytes, within the tolerance either way', () => {
    expect(verifySignature([secret], body, signature(secret, body, t), now)).toEqual({ ok: true });
    expect(verifySignature([secret], body, signature(secret, body, t - 299), now).ok).toBe(true);
    expect(verifySignature([secret], body, signature(secret, body, t + 299), now).ok).toBe(true);
  });

  it('accepts the new or the old secret while one rotates', () => {
    expect(verifySignature(['new-secret-0123456789', secret], body, signature(secret, body, t), now).ok).toBe(true);
  });

  it.each([
    ['no header', undefined, 'missing'],
    ['garbage', 'hello', 'malformed'],
    ['no timestamp', `v1=${'a'.repeat(64)}`, 'malformed'],
    ['short mac', `t=${t},v1=abc`, 'malformed'],
    ['stale', signature(secret, body, t - 301), 'tolerance'],
    ['from the future', signature(secret, body, t + 301), 'tolerance'],
    ['wrong secret', signature('another-secret-0123456', body, t), 'does not match'],
    ['body changed', signature(secret, `${body} `, t), 'does not match'],
    ['timestamp swapped', signature(secret, body, t).replace(`t=${t}`, `t=${t - 1}`), 'does not match'],
    ['huge header', `t=${t},${'v1=x,'.repeat(300)}`, 'malformed'],
  ])('refuses %s', (_name, header, reason) => {
    const v = verifySignature([secret], body, header, now);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toContain(reason);
  });
});
