/** Managed Postgres: one primary on the official image, PGDATA on a retained PVC. */
import { Construct } from 'constructs';
import { CREDENTIAL_KEYS, CREDENTIALS_SECRET, DATABASE_NAME } from '../data-endpoints.ts';
import type { StorefrontInput } from '../input.ts';
import { PORTS } from '../topology.ts';
import { dataStore } from './data-store.ts';

/** uid of the postgres user in the Debian-based official image. */
const POSTGRES_UID = 999;
const ready = { exec: { command: ['pg_isready', '-U', 'postgres', '-h', '127.0.0.1', '-d', DATABASE_NAME] } };

export class ManagedPostgres extends Construct {
  constructor(scope: Construct, input: StorefrontInput) {
    super(scope, 'postgres');
    const managed = input.spec.postgres?.managed;
    dataStore(this, input, {
      part: 'postgres',
      component: 'database',
      image: `postgres:${managed?.version ?? '16'}`,
      uid: POSTGRES_UID,
      replicas: 1,
      ports: [{ name: 'postgres', port: PORTS.postgres }],
      container: {
        env: [
          { name: 'POSTGRES_DB', value: DATABASE_NAME },
          { name: 'POSTGRES_USER', value: 'postgres' },
          {
            name: 'POSTGRES_PASSWORD',
            valueFrom: { secretKeyRef: { name: CREDENTIALS_SECRET(input.name), key: CREDENTIAL_KEYS.postgres } },
          },
          // A subdirectory: the volume root may hold lost+found, which initdb refuses.
          { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
        ],
        startupProbe: { ...ready, periodSeconds: 2, failureThreshold: 60 },
        livenessProbe: { ...ready, periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 5 },
        readinessProbe: { ...ready, periodSeconds: 5, timeoutSeconds: 3 },
      },
      dataPath: '/var/lib/postgresql/data',
      scratchPaths: ['/var/run/postgresql', '/tmp'],
      storage: managed?.storage ?? '5Gi',
      storageClassName: managed?.storageClassName,
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      resourceOverrides: managed?.resources,
    });
  }
}
