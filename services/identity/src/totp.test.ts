import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, otpauthUri, STEP_SECONDS, totpAt, verifyTotp } from './totp.ts';

// RFC 6238 appendix B (SHA-1 seed), last six digits of the eight-digit values.
const SEED = Buffer.from('12345678901234567890');

describe('TOTP (RFC 6238)', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('at %i s the code is %s', (seconds, code) => {
    expect(totpAt(SEED, seconds * 1000)).toBe(code);
  });

  it('matches RFC 4226 HOTP values', () => {
    expect(hotp(SEED, 0)).toBe('755224');
    expect(hotp(SEED, 9)).toBe('520489');
  });

  it('round-trips base32 (RFC 4648 vectors)', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    expect(base32Decode(base32Encode(SEED))).toEqual(SEED);
  });

  it('accepts one step of drift either way, not two, and never a spent step', () => {
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 1000 / STEP_SECONDS);
    const at = (d: number) => totpAt(SEED, now + d * STEP_SECONDS * 1000);
    expect(verifyTotp(SEED, at(0), now)).toBe(step);
    expect(verifyTotp(SEED, at(-1), now)).toBe(step - 1);
    expect(verifyTotp(SEED, at(1), now)).toBe(step + 1);
    expect(verifyTotp(SEED, at(-2), now)).toBeUndefined();
    expect(verifyTotp(SEED, at(2), now)).toBeUndefined();
    expect(verifyTotp(SEED, at(0), now, step)).toBeUndefined();
    expect(verifyTotp(SEED, at(1), now, step)).toBe(step + 1);
    expect(verifyTotp(SEED, 'abcdef', now)).toBeUndefined();
  });

  it('builds an otpauth URI apps understand', () => {
    expect(otpauthUri('ABC', 'ada@shop.test', 'Storefront')).toBe(
      'otpauth://totp/Storefront%3Aada%40shop.test?secret=ABC&issuer=Storefront&algorithm=SHA1&digits=6&period=30',
    );
  });
});
