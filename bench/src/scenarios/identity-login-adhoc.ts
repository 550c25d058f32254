/**
 * Runs the identity-login scenario alone until it is listed in scenarios/index.ts:
 * `node --import tsx bench/src/scenarios/identity-login-adhoc.ts`. Then `npm run bench -- --only identity-login`.
 */

import { formatTable, toRows } from '../report.ts';
import { runScenario } from '../run-scenario.ts';
import { identityLogin } from './identity-login.ts';

const log = (l: string) => process.stdout.write(`${l}\n`);
const outcome = await runScenario(identityLogin, {
  durationSec: 10,
  rate: 40,
  connections: 32,
  lanes: 20,
  warmupSec: 2,
  targetLog: '/tmp/identity-bench-target.log',
  runId: `bench${Date.now().toString(36)}`,
  log,
});
if (outcome.status !== 'ran') log(`${outcome.status}: ${outcome.reason}`);
else log(formatTable(toRows(outcome.measurements)));
