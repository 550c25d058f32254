import type { Scenario } from '../types.ts';

/** The local physical baseline every other figure is divided by; the harness always runs it. */
export const baseline: Scenario = {
  name: 'baseline',
  description: 'bare Hono + @hono/node-server, GET /json: what this machine does with no kit at all',
  target: { kind: 'spawn', entry: new URL('../targets/bare-hono.ts', import.meta.url), ready: 'port' },
  requests: [{ path: '/json' }],
  loads: [{ mode: 'max' }, { mode: 'fixed' }],
};
