import type { Scenario } from '../types.ts';

/** The same answer as the baseline through serve(): the difference is what the kit costs per request. */
export const kitOverhead: Scenario = {
  name: 'kit-overhead',
  description:
    'the baseline route through the kit serve() with every middleware on (access log sampled as in a pod, to /dev/null)',
  target: { kind: 'spawn', entry: new URL('../targets/kit-trivial.ts', import.meta.url), ready: '/healthz' },
  requests: [{ path: '/json' }],
  loads: [{ mode: 'max' }, { mode: 'fixed' }],
  goal: { label: 'kit', maxCostPct: 15 },
};
