/**
 * Finds the cluster in KUBECONFIG (or ~/.kube/config) and says why not when there is none, so
 * the suite can skip with a reason instead of failing on a laptop or CI machine without one.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { RestClient } from '@storefront/operator';

export type Cluster = { readonly client: RestClient; readonly context: string } | { readonly skip: string };

export async function findCluster(timeoutMs = 3000): Promise<Cluster> {
  const path = process.env.KUBECONFIG ?? join(homedir(), '.kube/config');
  if (!process.env.KUBECONFIG && !existsSync(path)) return { skip: `no KUBECONFIG and no ${path}` };
  const config = new KubeConfig();
  try {
    config.loadFromDefault();
  } catch (error) {
    return { skip: `kubeconfig unreadable: ${String(error)}` };
  }
  if (!config.getCurrentCluster()) return { skip: 'kubeconfig has no current cluster' };
  const client = new RestClient(config);
  try {
    const probe = client.list('v1', 'Namespace', {});
    await Promise.race([
      probe,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
  } catch (error) {
    return { skip: `cluster ${config.getCurrentContext()} unreachable: ${String(error)}` };
  }
  return { client, context: config.getCurrentContext() };
}

export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}
