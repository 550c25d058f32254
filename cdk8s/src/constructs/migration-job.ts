/**
 * The migration Job of one release. Named by the release revision because a Job's pod template is
 * immutable: a new version is a new Job. Completion is recorded in the Storefront status (the TTL
 * deletes the Job later), so the operator never re-runs a finished migration.
 */
import type { Construct } from 'constructs';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IEnvVar } from 'kubernetes-models/v1';
import { CREDENTIAL_KEYS, CREDENTIALS_SECRET, databaseAdminEnv } from '../data-endpoints.ts';
import type { StorefrontInput } from '../input.ts';
import { LABELS, objectLabels, objectName } from '../names.ts';
import { databaseServices } from './config.ts';
import { emit } from './emit.ts';
import { APP_UID, containerSecurityContext, podSecurityContext } from './hardening.ts';
import { configMapEnv } from './service-env.ts';

export const migrationJobName = (storefront: string, revision: string) => objectName(storefront, `migrate-${revision}`);

export function migrationJob(scope: Construct, input: StorefrontInput): void {
  const { release } = input;
  const labels = { ...objectLabels(input.name, 'migrate', 'migration'), [LABELS.revision]: release.revision };
  const passwords: IEnvVar[] = databaseServices().map((service) => ({
    name: `DB_PASSWORD_${service.toUpperCase().replaceAll('-', '_')}`,
    valueFrom: { secretKeyRef: { name: CREDENTIALS_SECRET(input.name), key: CREDENTIAL_KEYS.database(service) } },
  }));
  const job: IJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: migrationJobName(input.name, release.revision), labels },
    spec: {
      backoffLimit: 6,
      activeDeadlineSeconds: 1800,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: { ...labels, [LABELS.version]: release.version } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurityContext(APP_UID),
          containers: [
            {
              name: 'migrate',
              image: release.image,
              imagePullPolicy: input.spec.imagePullPolicy,
              args: ['migrate'],
              envFrom: configMapEnv(input),
              env: [...databaseAdminEnv(input), ...passwords],
              resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '1', memory: '384Mi' } },
              securityContext: containerSecurityContext(),
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  };
  emit(scope, job);
}
