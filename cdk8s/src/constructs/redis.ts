/** Managed Redis: a cache (flushing it loses nothing durable), append-only so restarts keep hot sets. */
import { Construct } from 'constructs';
import { CREDENTIAL_KEYS, CREDENTIALS_SECRET } from '../data-endpoints.ts';
import type { StorefrontInput } from '../input.ts';
import { PORTS } from '../topology.ts';
import { dataStore } from './data-store.ts';

const REDIS_UID = 999;

export class ManagedRedis extends Construct {
  constructor(scope: Construct, input: StorefrontInput) {
    super(scope, 'redis');
    const managed = input.spec.redis?.managed;
    const tcp = { tcpSocket: { port: 'redis' } };
    dataStore(this, input, {
      part: 'redis',
      component: 'cache',
      image: `redis:${managed?.version ?? '7.4'}`,
      uid: REDIS_UID,
      replicas: 1,
      ports: [{ name: 'redis', port: PORTS.redis }],
      container: {
        env: [
          {
            name: 'REDIS_PASSWORD',
            valueFrom: { secretKeyRef: { name: CREDENTIALS_SECRET(input.name), key: CREDENTIAL_KEYS.redis } },
          },
        ],
        // kubelet expands $(REDIS_PASSWORD) in args; no shell is needed.
        args: [
          'redis-server',
          '--requirepass',
          '$(REDIS_PASSWORD)',
          '--appendonly',
          'yes',
          '--dir',
          '/data',
          '--maxmemory-policy',
          'allkeys-lru',
        ],
        livenessProbe: { ...tcp, periodSeconds: 10 },
        readinessProbe: { ...tcp, periodSeconds: 5 },
      },
      dataPath: '/data',
      scratchPaths: ['/tmp'],
      storage: managed?.storage ?? '1Gi',
      storageClassName: managed?.storageClassName,
      resources: { requests: { cpu: '25m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      resourceOverrides: managed?.resources,
    });
  }
}
