import { totp } from '../staff.ts';

export { totp };

const STEP_MS = 30_000;

/**
 * A code from a later 30-second step than the one used at `usedAtMs`, waiting for that step to
 * begin: identity spends a step once (and every step before it), so a test that enrolled MFA and
 * then signs in again needs the next step's code, as a person with an authenticator app would.
 */
export async function totpAfter(secretBase32: string, usedAtMs: number): Promise<string> {
  const next = (Math.floor(usedAtMs / STEP_MS) + 1) * STEP_MS;
  const wait = next - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait + 50));
  return totp(secretBase32);
}
