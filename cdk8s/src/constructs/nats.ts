/**
 * Managed NATS with JetStream. `sync_interval: always` fsyncs every write before the ack: by
 * default the server acks first and fsyncs every two minutes, which lost acknowledged messages in
 * a power-failure analysis of 2.12.1. The Postgres outbox stays the source of truth regardless.
 */
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import type { IConfigMap } from 'kubernetes-models/v1';
import { CREDENTIAL_KEYS, CREDENTIALS_SECRET } from '../data-endpoints.ts';
import type { StorefrontInput } from '../input.ts';
import { objectLabels, objectName } from '../names.ts';
import { PORTS } from '../topology.ts';
import { dataStore } from './data-store.ts';
import { emit } from './emit.ts';

const NATS_UID = 1000;

export function natsConfig(storefront: string, replicas: number): string {
  const name = objectName(storefront, 'nats');
  const lines = [
    'server_name: $POD_NAME',
    `port: ${PORTS.nats}`,
    `http_port: ${PORTS.natsMonitor}`,
    'lame_duck_duration: 30s',
    'lame_duck_grace_period: 10s',
    // The token comes from the environment (the credentials Secret), never from this ConfigMap.
    'authorization { token: $NATS_TOKEN }',
    'jetstream {',
    '  store_dir: /data',
    '  sync_interval: always',
    '}',
  ];
  if (replicas > 1) {
    const routes = Array.from({ length: replicas }, (_, i) => `nats://${name}-${i}.${name}:${PORTS.natsCluster}`);
    lines.push(
      'cluster {',
      `  name: ${storefront}`,
      `  port: ${PORTS.natsCluster}`,
      `  routes: [${routes.join(', ')}]`,
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

export class ManagedNats extends Construct {
  constructor(scope: Construct, input: StorefrontInput) {
    super(scope, 'nats');
    const managed = input.spec.nats?.managed;
    const replicas = managed?.replicas ?? 1;
    const configName = objectName(input.name, 'nats-config');
    const conf = natsConfig(input.name, replicas);
    const configMap: IConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configName, labels: objectLabels(input.name, 'nats', 'messaging') },
      data: { 'nats.conf': conf },
    };
    emit(this, configMap);

    const health = (query: string) => ({ httpGet: { path: `/healthz${query}`, port: 'monitor' } });
    dataStore(this, input, {
      part: 'nats',
      component: 'messaging',
      image: `nats:${managed?.version ?? '2.12.1'}`,
      uid: NATS_UID,
      replicas,
      ports: [
        { name: 'client', port: PORTS.nats },
        { name: 'cluster', port: PORTS.natsCluster },
        { name: 'monitor', port: PORTS.natsMonitor },
      ],
      container: {
        args: ['--config', '/etc/nats/nats.conf'],
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          {
            name: 'NATS_TOKEN',
            valueFrom: { secretKeyRef: { name: CREDENTIALS_SECRET(input.name), key: CREDENTIAL_KEYS.nats } },
          },
        ],
        startupProbe: { ...health('?js-enabled-only=true'), periodSeconds: 5, failureThreshold: 60 },
        livenessProbe: { ...health('?js-enabled-only=true'), periodSeconds: 10, failureThreshold: 3 },
        readinessProbe: { ...health(''), periodSeconds: 5 },
      },
      dataPath: '/data',
      scratchPaths: ['/tmp'],
      extraVolumes: [{ volume: { name: 'config', configMap: { name: configName } }, mountPath: '/etc/nats' }],
      storage: managed?.storage ?? '2Gi',
      storageClassName: managed?.storageClassName,
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      resourceOverrides: managed?.resources,
      podAnnotations: { 'storefront.dev/config-hash': createHash('sha256').update(conf).digest('hex').slice(0, 16) },
    });
  }
}
