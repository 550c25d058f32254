/**
 * List + watch for one kind, hardened the way @kubernetes/client-node's own informer is not: it
 * restarts after any watch error with backoff (the client only reconnects after 410 Gone), a
 * watchdog restarts a watch that has gone silent (no bookmark or event), and a periodic resync
 * relists everything so a missed event is repaired within `resyncMs`.
 */
import { isApiError, type KubeClient, type KubeObject, type ListOptions, type WatchHandle } from './types.ts';

export type InformerEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'SYNC';

export interface InformerOptions extends ListOptions {
  readonly apiVersion: string;
  readonly kind: string;
  readonly resyncMs?: number;
  readonly watchdogMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  readonly onError?: (error: unknown) => void;
}

type WatchEnd = 'closed' | 'gone' | 'watchdog' | 'resync' | 'stopped' | 'error';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

export class Informer {
  /** Restarts after errors or silence (exported as a metric, asserted in tests). */
  restarts = 0;
  private readonly client: KubeClient;
  private readonly options: InformerOptions;
  private readonly onEvent: (type: InformerEventType, object: KubeObject) => void;
  private stopped = false;
  private synced = false;
  private failures = 0;
  private current?: { handle?: WatchHandle; finish: (end: WatchEnd) => void };

  constructor(
    client: KubeClient,
    options: InformerOptions,
    onEvent: (type: InformerEventType, object: KubeObject) => void,
  ) {
    this.client = client;
    this.options = options;
    this.onEvent = onEvent;
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves after the first list has been delivered. */
  start(): Promise<void> {
    return new Promise((resolve) => {
      void this.run(resolve);
    });
  }

  stop(): void {
    this.stopped = true;
    this.current?.finish('stopped');
  }

  private async run(onFirstSync: () => void): Promise<void> {
    const { apiVersion, kind, namespace, labelSelector } = this.options;
    while (!this.stopped) {
      let end: WatchEnd = 'error';
      try {
        const list = await this.client.list(apiVersion, kind, { namespace, labelSelector });
        if (this.stopped) return;
        for (const item of list.items) this.onEvent('SYNC', item);
        if (!this.synced) {
          this.synced = true;
          onFirstSync();
        }
        end = await this.watch(list.resourceVersion);
      } catch (error) {
        this.options.onError?.(error);
      }
      if (this.stopped) return;
      if (end === 'error' || end === 'watchdog') {
        this.restarts += 1;
        this.failures += 1;
        const base = this.options.backoffBaseMs ?? 500;
        await sleep(Math.min(base * 2 ** (this.failures - 1), this.options.backoffMaxMs ?? 30_000));
      } else {
        this.failures = 0; // closed by the server, resync or 410: relist right away
      }
    }
  }

  private watch(resourceVersion: string): Promise<WatchEnd> {
    const { apiVersion, kind, namespace, labelSelector } = this.options;
    return new Promise<WatchEnd>((resolve) => {
      let done = false;
      let watchdog: NodeJS.Timeout | undefined;
      const resync = setTimeout(() => finish('resync'), this.options.resyncMs ?? 5 * 60_000);
      resync.unref();
      const arm = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => finish('watchdog'), this.options.watchdogMs ?? 3 * 60_000);
        watchdog.unref();
      };
      const finish = (end: WatchEnd) => {
        if (done) return;
        done = true;
        clearTimeout(watchdog);
        clearTimeout(resync);
        state.handle?.stop();
        resolve(end);
      };
      const state: { handle?: WatchHandle; finish: (end: WatchEnd) => void } = { finish };
      this.current = state;
      arm();
      this.client
        .watch(
          apiVersion,
          kind,
          { namespace, labelSelector, resourceVersion },
          (type, object) => {
            if (done) return;
            arm();
            if (type !== 'BOOKMARK') this.onEvent(type, object);
          },
          (error) => {
            if (error) this.options.onError?.(error);
            finish(isApiError(error, 410) ? 'gone' : error ? 'error' : 'closed');
          },
        )
        .then((handle) => {
          state.handle = handle;
          if (done) handle.stop();
        })
        .catch((error: unknown) => {
          this.options.onError?.(error);
          finish('error');
        });
    });
  }
}
