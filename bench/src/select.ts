import { BASELINE } from './report.ts';
import type { Scenario } from './types.ts';

/**
 * The scenarios to run, baseline first and always: every ratio needs a bare figure from this run.
 * A chosen scenario that compares itself with another brings that one along.
 */
export function select(all: readonly Scenario[], only: readonly string[]): Scenario[] {
  const unknown = only.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length) {
    throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`);
  }
  const wanted = new Set(only);
  for (const s of all) if (wanted.has(s.name) && s.compare) wanted.add(s.compare.against);
  return all.filter((s) => s.name === BASELINE || only.length === 0 || wanted.has(s.name));
}
