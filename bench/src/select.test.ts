import { describe, expect, it } from 'vitest';
import { select } from './select.ts';
import type { Scenario } from './types.ts';

const scenario = (name: string): Scenario => ({
  name,
  description: name,
  target: { kind: 'url', url: 'http://127.0.0.1:1' },
  requests: [{ path: '/' }],
  loads: [{ mode: 'max' }],
});
const all = [scenario('baseline'), scenario('kit-overhead'), scenario('gateway')];

describe('select', () => {
  it('runs everything by default', () => {
    expect(select(all, []).map((s) => s.name)).toEqual(['baseline', 'kit-overhead', 'gateway']);
  });

  it('keeps the baseline when another scenario is chosen, since ratios need it', () => {
    expect(select(all, ['gateway']).map((s) => s.name)).toEqual(['baseline', 'gateway']);
  });

  it('brings along the scenario a chosen one compares itself with', () => {
    const signedIn = { ...scenario('signed-in'), compare: { against: 'gateway', label: 'signed in' } };
    expect(select([...all, signedIn], ['signed-in']).map((s) => s.name)).toEqual(['baseline', 'gateway', 'signed-in']);
  });

  it('names an unknown scenario and the known ones', () => {
    expect(() => select(all, ['catalog'])).toThrow('unknown scenario catalog; known: baseline, kit-overhead, gateway');
  });
});
