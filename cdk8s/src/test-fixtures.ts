/** Deterministic inputs for tests of `buildStorefront` (no randomness, fixed names). */
import { StorefrontSpec, type StorefrontSpecInput } from './api/spec.ts';
import { ensureCredentials } from './credentials.ts';
import type { RolloutGate, StorefrontInput } from './input.ts';
import { releaseOf } from './release.ts';
import { SAMPLE_NAME, SAMPLE_NAMESPACE, SAMPLE_SPEC } from './sample.ts';

export function fixedCredentials() {
  let n = 0;
  return ensureCredentials({}, () => `secret${++n}`);
}

export function sampleInput(spec: StorefrontSpecInput = SAMPLE_SPEC, gate?: RolloutGate): StorefrontInput {
  const parsed = StorefrontSpec.parse(spec);
  const release = releaseOf(parsed);
  return {
    name: SAMPLE_NAME,
    namespace: SAMPLE_NAMESPACE,
    spec: parsed,
    release,
    credentials: fixedCredentials(),
    externalPostgres: { host: 'pg.example.net', port: 6432, database: 'shop', params: 'sslmode=require' },
    gate: gate ?? { migrate: true, services: release },
  };
}
