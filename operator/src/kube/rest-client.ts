/**
 * KubeClient over the real API server. Requests are plain JSON over HTTPS (or HTTP to `kubectl proxy`) with the credentials of
 * @kubernetes/client-node's KubeConfig: the client's typed models silently drop fields whose TS
 * name differs from the wire name (NetworkPolicy `from`, CRD `x-kubernetes-*`), so no object we
 * write goes through them. Watches use the client's Watch, which hands over raw JSON.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import { kindInfo, resourcePath } from './kinds.ts';
import {
  ApiError,
  type KubeClient,
  type KubeObject,
  type ListOptions,
  type ObjectRef,
  type WatchEventType,
  type WatchHandle,
} from './types.ts';

const SSA = 'application/apply-patch+yaml';

export class RestClient implements KubeClient {
  private readonly config: KubeConfig;
  private readonly server: URL;

  constructor(config: KubeConfig) {
    this.config = config;
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.call<KubeObject>('GET', resourcePath(ref.kind, ref.namespace, ref.name));
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return undefined;
      throw error;
    }
  }

  async list(apiVersion: string, kind: string, options: ListOptions) {
    const query = options.labelSelector ? `?labelSelector=${encodeURIComponent(options.labelSelector)}` : '';
    try {
      const list = await this.call<{ items: KubeObject[]; metadata: { resourceVersion: string } }>(
        'GET',
        `${resourcePath(kind, options.namespace)}${query}`,
      );
      // Lists omit apiVersion/kind on items; put them back so items are self-describing.
      const items = list.items.map((item) => ({ ...item, apiVersion, kind }));
      return { items, resourceVersion: list.metadata.resourceVersion };
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return { items: [], resourceVersion: '0' };
      throw error;
    }
  }

  apply(object: KubeObject, fieldManager: string): Promise<KubeObject> {
    const path = resourcePath(object.kind, object.metadata.namespace, object.metadata.name);
    return this.call('PATCH', `${path}?fieldManager=${fieldManager}&force=true&fieldValidation=Strict`, object, SSA);
  }

  applyStatus(object: KubeObject, fieldManager: string): Promise<KubeObject> {
    const path = resourcePath(object.kind, object.metadata.namespace, object.metadata.name);
    return this.call('PATCH', `${path}/status?fieldManager=${fieldManager}&force=true`, object, SSA);
  }

  create(object: KubeObject): Promise<KubeObject> {
    return this.call('POST', resourcePath(object.kind, object.metadata.namespace), object);
  }

  replace(object: KubeObject): Promise<KubeObject> {
    return this.call('PUT', resourcePath(object.kind, object.metadata.namespace, object.metadata.name), object);
  }

  async delete(ref: ObjectRef): Promise<boolean> {
    try {
      await this.call('DELETE', resourcePath(ref.kind, ref.namespace, ref.name), { propagationPolicy: 'Background' });
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return false;
      throw error;
    }
  }

  async watch(
    apiVersion: string,
    kind: string,
    options: ListOptions & { resourceVersion: string },
    onEvent: (type: WatchEventType, object: KubeObject) => void,
    onDone: (error?: unknown) => void,
  ): Promise<WatchHandle> {
    kindInfo(kind);
    const query = {
      resourceVersion: options.resourceVersion,
      labelSelector: options.labelSelector,
      allowWatchBookmarks: true,
    };
    const controller = await new Watch(this.config).watch(
      resourcePath(kind, options.namespace),
      query,
      (type: string, object: KubeObject) => {
        if (type === 'ERROR') {
          const status = object as unknown as { code?: number; reason?: string; message?: string };
          onDone(new ApiError(status.code ?? 500, status.reason ?? 'WatchError', status.message ?? 'watch error'));
          return;
        }
        onEvent(type as WatchEventType, { ...object, apiVersion, kind });
      },
      (error: unknown) => onDone(error ?? undefined),
    );
    return { stop: () => controller.abort() };
  }

  private async call<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const options: RequestOptions & { headers: Record<string, string> } = {
      method,
      hostname: this.server.hostname,
      port: Number(this.server.port || (this.server.protocol === 'http:' ? 80 : 443)),
      path: `${this.server.pathname.replace(/\/$/, '')}${path}`,
      headers: { Accept: 'application/json', 'Content-Type': contentType },
    };
    await this.config.applyToHTTPSOptions(options);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    // http: is `kubectl proxy`; everything else is TLS with the kubeconfig's credentials.
    const request = this.server.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise<T>((resolve, reject) => {
      const req = request(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(text ? (JSON.parse(text) as T) : (undefined as T));
          let parsed: { reason?: string; message?: string } = {};
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = { message: text };
          }
          reject(new ApiError(status, parsed.reason ?? 'Unknown', `${method} ${path}: ${parsed.message ?? status}`));
        });
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }
}
