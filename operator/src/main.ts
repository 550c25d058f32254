/**
 * The operator process: health and metrics server, leader election, then the controller. On
 * losing leadership it exits so Kubernetes restarts it as a standby (never two leaders reconciling).
 */
import { KubeConfig } from '@kubernetes/client-node';
import { loadConfig } from './config.ts';
import { Controller } from './controller/controller.ts';
import { KubeEventRecorder } from './controller/events.ts';
import { startHealthServer } from './controller/health-server.ts';
import { LeaderElector } from './controller/leader-election.ts';
import { createMetrics } from './controller/metrics.ts';
import { RestClient } from './kube/rest-client.ts';

const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 } as const;
const config = loadConfig();
const log = (level: keyof typeof LEVELS, msg: string, fields: Record<string, unknown> = {}) => {
  if (LEVELS[level] <= LEVELS[config.LOG_LEVEL])
    console.log(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
};

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const client = new RestClient(kubeConfig);
const metrics = createMetrics();
const controller = new Controller({
  client,
  events: new KubeEventRecorder(client, config.POD_NAME),
  metrics,
  namespace: config.WATCH_NAMESPACE || undefined,
  workers: config.WORKERS,
  resyncMs: config.RESYNC_SECONDS * 1000,
  log,
});

let elector: LeaderElector | undefined;
const startLeading = () => {
  metrics.leader.set({ name: config.LEASE_NAME }, 1);
  log('info', 'leading; starting controller', { identity: config.POD_NAME });
  controller.start().catch((error: unknown) => {
    log('error', 'controller failed to start', { error: String(error) });
    process.exit(1);
  });
};

await startHealthServer(config.PORT, metrics.registry, {
  live: () => true,
  ready: () => !elector?.isLeader || controller.synced,
});

if (config.LEADER_ELECT) {
  elector = new LeaderElector({
    client,
    namespace: config.POD_NAMESPACE,
    name: config.LEASE_NAME,
    identity: config.POD_NAME,
    onStartedLeading: startLeading,
    onStoppedLeading: () => {
      metrics.leader.set({ name: config.LEASE_NAME }, 0);
      log('error', 'lost leadership; exiting');
      void controller.stop().finally(() => process.exit(1));
    },
  });
  elector.start();
} else {
  startLeading();
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log('info', 'shutting down', { signal });
    void Promise.all([controller.stop(), elector?.stop()]).finally(() => process.exit(0));
  });
}
