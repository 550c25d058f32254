/**
 * An in-memory API server for tests (none can run here). It keeps what matters to a controller:
 * uid, resourceVersion (bumped only by real changes, 409 on stale preconditions), generation,
 * the status subresource, server-side-apply ownership, background garbage collection through
 * owner references, watches, and injectable failures.
 */
import { isDeepStrictEqual } from 'node:util';
import { kindInfo } from '../kinds.ts';
import {
  ApiError,
  type KubeClient,
  type KubeObject,
  type ListOptions,
  type ObjectRef,
  type WatchEventType,
  type WatchHandle,
} from '../types.ts';
import { applyDefaults, clone, matchesSelector, merge, removeDropped, STATUS_KINDS, specChanged } from './semantics.ts';

type Verb = 'get' | 'list' | 'apply' | 'applyStatus' | 'create' | 'replace' | 'delete' | 'watch';
interface Fault {
  verb?: Verb;
  kind?: string;
  code: number;
  times: number;
}
interface Watcher {
  kind: string;
  options: ListOptions;
  onEvent: (type: WatchEventType, object: KubeObject) => void;
  onDone: (error?: unknown) => void;
}

const WRITE_VERBS = new Set<Verb>(['apply', 'applyStatus', 'create', 'replace', 'delete']);
const keyOf = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;

export class FakeApiServer implements KubeClient {
  /** Every request, in order: tests count writes and check ordering. */
  readonly requests: { verb: Verb; kind: string; name: string }[] = [];
  /** Kinds whose CRD is "not installed": list answers empty, writes 404. */
  readonly unservedKinds = new Set<string>();
  private readonly objects = new Map<string, KubeObject>();
  private readonly applied = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly watchers = new Set<Watcher>();
  private readonly faults: Fault[] = [];
  private version = 0;
  private uids = 0;

  failNext(fault: Omit<Fault, 'times'> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Mutating requests since `since` (an index into `requests`). */
  writesSince(since = 0): { verb: Verb; kind: string; name: string }[] {
    return this.requests.slice(since).filter((r) => WRITE_VERBS.has(r.verb));
  }

  /** All stored objects of a kind (test inspection; no request is recorded). */
  all(kind: string): KubeObject[] {
    return [...this.objects.values()].filter((o) => o.kind === kind).map(clone);
  }

  peek(kind: string, namespace: string, name: string): KubeObject | undefined {
    const o = this.objects.get(keyOf(kind, namespace, name));
    return o && clone(o);
  }

  /** What a controller (kubelet, job controller, HPA) would write into status. */
  setStatus(kind: string, namespace: string, name: string, status: Record<string, unknown>): void {
    this.mutate(kind, namespace, name, (o) => {
      o.status = clone(status);
    });
  }

  /** A human's `kubectl edit`: any change, by a manager other than the operator. */
  edit(kind: string, namespace: string, name: string, change: (o: KubeObject) => void): void {
    this.mutate(kind, namespace, name, change);
  }

  /** Every open watch ends with this error (a dropped connection, an expired resourceVersion). */
  breakWatches(error: unknown): void {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.onDone(error);
    }
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    this.record('get', ref.kind, ref.name);
    const o = this.objects.get(keyOf(ref.kind, ref.namespace, ref.name));
    return o && clone(o);
  }

  async list(_apiVersion: string, kind: string, options: ListOptions) {
    this.record('list', kind, '*');
    const items = this.unservedKinds.has(kind) ? [] : this.matching(kind, options);
    return { items: items.map(clone), resourceVersion: String(this.version) };
  }

  async apply(object: KubeObject, fieldManager: string): Promise<KubeObject> {
    this.record('apply', object.kind, object.metadata.name);
    this.serve(object.kind);
    const key = keyOf(object.kind, object.metadata.namespace, object.metadata.name);
    const live = this.objects.get(key);
    this.checkPrecondition(object, live);
    const body = clone(object);
    delete body.metadata.resourceVersion;
    if (STATUS_KINDS.has(object.kind)) delete body.status;
    const next: KubeObject = live
      ? clone(live)
      : { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name } };
    const managers = this.applied.get(key) ?? new Map();
    const previous = managers.get(fieldManager);
    if (previous) removeDropped(next, previous, body);
    merge(next, body);
    managers.set(fieldManager, body);
    this.applied.set(key, managers);
    return this.store(key, live, next);
  }

  async applyStatus(object: KubeObject, _fieldManager: string): Promise<KubeObject> {
    this.record('applyStatus', object.kind, object.metadata.name);
    const key = keyOf(object.kind, object.metadata.namespace, object.metadata.name);
    const live = this.objects.get(key);
    if (!live) throw new ApiError(404, 'NotFound', `${key} not found`);
    this.checkPrecondition(object, live);
    const next = clone(live);
    next.status = clone(object.status);
    return this.store(key, live, next);
  }

  async create(object: KubeObject): Promise<KubeObject> {
    this.record('create', object.kind, object.metadata.name);
    this.serve(object.kind);
    const key = keyOf(object.kind, object.metadata.namespace, object.metadata.name);
    if (this.objects.has(key)) throw new ApiError(409, 'AlreadyExists', `${key} already exists`);
    return this.store(key, undefined, clone(object));
  }

  async replace(object: KubeObject): Promise<KubeObject> {
    this.record('replace', object.kind, object.metadata.name);
    const key = keyOf(object.kind, object.metadata.namespace, object.metadata.name);
    const live = this.objects.get(key);
    if (!live) throw new ApiError(404, 'NotFound', `${key} not found`);
    if (object.metadata.resourceVersion !== live.metadata.resourceVersion) {
      throw new ApiError(409, 'Conflict', `${key}: the object has been modified`);
    }
    const next = clone(object);
    if (STATUS_KINDS.has(object.kind)) next.status = clone(live.status);
    return this.store(key, live, next);
  }

  async delete(ref: ObjectRef): Promise<boolean> {
    this.record('delete', ref.kind, ref.name);
    const key = keyOf(ref.kind, ref.namespace, ref.name);
    const live = this.objects.get(key);
    if (!live) return false;
    this.remove(key, live);
    return true;
  }

  async watch(
    _apiVersion: string,
    kind: string,
    options: ListOptions & { resourceVersion: string },
    onEvent: Watcher['onEvent'],
    onDone: Watcher['onDone'],
  ): Promise<WatchHandle> {
    this.record('watch', kind, '*');
    const watcher: Watcher = { kind, options, onEvent, onDone };
    this.watchers.add(watcher);
    return { stop: () => this.watchers.delete(watcher) };
  }

  private record(verb: Verb, kind: string, name: string): void {
    this.requests.push({ verb, kind, name });
    const fault = this.faults.find((f) => (!f.verb || f.verb === verb) && (!f.kind || f.kind === kind));
    if (!fault) return;
    fault.times -= 1;
    if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    throw new ApiError(fault.code, 'Injected', `injected ${fault.code} on ${verb} ${kind}/${name}`);
  }

  private serve(kind: string): void {
    kindInfo(kind);
    if (this.unservedKinds.has(kind))
      throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${kind})`);
  }

  private checkPrecondition(object: KubeObject, live: KubeObject | undefined): void {
    const expected = object.metadata.resourceVersion;
    if (expected && expected !== live?.metadata.resourceVersion) {
      throw new ApiError(409, 'Conflict', `${object.kind}/${object.metadata.name}: the object has been modified`);
    }
  }

  private matching(kind: string, options: ListOptions): KubeObject[] {
    return [...this.objects.values()].filter(
      (o) =>
        o.kind === kind &&
        (!options.namespace || o.metadata.namespace === options.namespace) &&
        matchesSelector(o.metadata.labels, options.labelSelector),
    );
  }

  private mutate(kind: string, namespace: string, name: string, change: (o: KubeObject) => void): void {
    const key = keyOf(kind, namespace, name);
    const live = this.objects.get(key);
    if (!live) throw new Error(`${key} not found`);
    const next = clone(live);
    change(next);
    this.store(key, live, next);
  }

  private store(key: string, live: KubeObject | undefined, next: KubeObject): KubeObject {
    if (!live) {
      next.metadata.uid = `uid-${++this.uids}`;
      next.metadata.creationTimestamp = new Date(0).toISOString();
      next.metadata.generation = 1;
    }
    applyDefaults(next);
    if (live) {
      const comparable = { ...next, metadata: { ...next.metadata, resourceVersion: live.metadata.resourceVersion } };
      if (isDeepStrictEqual(comparable, live)) return clone(live);
      if (specChanged(live, next)) next.metadata.generation = (live.metadata.generation ?? 1) + 1;
    }
    next.metadata.resourceVersion = String(++this.version);
    this.objects.set(key, next);
    this.notify(live ? 'MODIFIED' : 'ADDED', next);
    return clone(next);
  }

  /** Background cascading deletion: dependents whose owner reference points at a removed uid go too. */
  private remove(key: string, live: KubeObject): void {
    this.objects.delete(key);
    this.applied.delete(key);
    this.version += 1;
    this.notify('DELETED', live);
    for (const [depKey, dep] of [...this.objects]) {
      if (dep.metadata.ownerReferences?.some((r) => r.uid === live.metadata.uid)) this.remove(depKey, dep);
    }
  }

  private notify(type: WatchEventType, object: KubeObject): void {
    for (const w of this.watchers) {
      if (w.kind !== object.kind) continue;
      if (w.options.namespace && w.options.namespace !== object.metadata.namespace) continue;
      if (!matchesSelector(object.metadata.labels, w.options.labelSelector)) continue;
      const copy = clone(object);
      queueMicrotask(() => w.onEvent(type, copy));
    }
  }
}
