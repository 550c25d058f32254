import type { Clock, IdFactory } from '@storefront/contracts';
import type { Bus, Db, Faults, Logger, Outbox, Verifier } from '@storefront/kit';
import { createApp } from './app.ts';
import type { Carrier } from './carrier.ts';
import type { Core } from './core.ts';
import { createDevcarrier } from './devcarrier.ts';
import type { ServiceArea } from './devcarrier-rules.ts';
import { createDevcarrierRunner, type Runner } from './devcarrier-runner.ts';
import { subscribeCommands } from './events.ts';

/**
 * The service assembled from its parts, the same way in main.ts and in the tests: the carriers,
 * the handlers' core, the HTTP app, the command consumer and the dev carrier's scheduler.
 */
export interface FulfillmentParts {
  readonly db: Db;
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly log: Logger;
  readonly faults: Faults;
  readonly verifier: Verifier;
  readonly carrier: 'devcarrier';
  readonly devcarrier: {
    readonly secret: string;
    readonly stepMs: number;
    readonly area: ServiceArea;
  };
}

export interface RunnerSettings {
  readonly webhookUrl: string;
  readonly pollMs: number;
  readonly retryBaseMs: number;
  readonly maxAttempts: number;
}

export function createFulfillment(p: FulfillmentParts) {
  const devcarrier = createDevcarrier({
    db: p.db,
    clock: p.clock,
    newId: p.newId,
    faults: p.faults,
    area: p.devcarrier.area,
    stepMs: p.devcarrier.stepMs,
    secrets: [p.devcarrier.secret],
  });
  const carriers = new Map<string, Carrier>([[devcarrier.name, devcarrier]]);
  const core: Core = {
    db: p.db,
    outbox: p.outbox,
    clock: p.clock,
    newId: p.newId,
    log: p.log,
    faults: p.faults,
    carriers,
    carrier: devcarrier,
  };
  return {
    core,
    app: createApp({ ...core, verifier: p.verifier }),
    subscribe: (bus: Bus) => subscribeCommands(bus, core),
    /** The dev carrier's scheduler; start it once the webhook endpoint listens. */
    devcarrierRunner: (s: RunnerSettings): Runner =>
      createDevcarrierRunner({
        db: p.db,
        clock: p.clock,
        newId: p.newId,
        log: p.log,
        faults: p.faults,
        secret: p.devcarrier.secret,
        stepMs: p.devcarrier.stepMs,
        ...s,
      }),
  };
}
