/**
 * Leader election on a coordination.k8s.io Lease, as client-go does it: acquire when the lease is
 * free or expired, renew every `retryPeriodMs`, and give up (stop reconciling, then exit) when it
 * could not renew within `renewDeadlineMs`. Writes are guarded by resourceVersion, so of two
 * candidates racing for an expired lease exactly one wins (the other gets 409).
 */
import { isApiError, type KubeClient, type KubeObject } from '../kube/types.ts';

export interface LeaderElectionOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly clock?: () => Date;
  readonly onStartedLeading: () => void;
  readonly onStoppedLeading: () => void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** The API server requires MicroTime: RFC 3339 with exactly six fractional digits. */
export const microTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class LeaderElector {
  private readonly o: Required<Omit<LeaderElectionOptions, 'clock'>> & { clock: () => Date };
  private leading = false;
  private stopped = false;
  private lastRenew = 0;
  private timer?: NodeJS.Timeout;

  constructor(options: LeaderElectionOptions) {
    this.o = {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      clock: () => new Date(),
      ...options,
    };
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    void this.tick();
  }

  /** Stops campaigning; a leader releases the lease so a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    const lease = await this.o.client.get(this.ref()).catch(() => undefined);
    const spec = lease?.spec as LeaseSpec | undefined;
    if (lease && spec?.holderIdentity === this.o.identity) {
      await this.o.client
        .replace({ ...lease, spec: { ...spec, holderIdentity: '', leaseDurationSeconds: 1 } })
        .catch(() => undefined);
    }
  }

  private ref() {
    return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: this.o.namespace, name: this.o.name };
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = this.o.clock();
    let held = false;
    try {
      held = await this.tryAcquireOrRenew(now);
    } catch {
      held = false; // an API error is a failed renewal; the deadline below decides
    }
    if (this.stopped) return;
    if (held) {
      this.lastRenew = now.getTime();
      if (!this.leading) {
        this.leading = true;
        this.o.onStartedLeading();
      }
    } else if (this.leading && now.getTime() - this.lastRenew >= this.o.renewDeadlineMs) {
      this.leading = false;
      this.stopped = true;
      this.o.onStoppedLeading();
      return;
    }
    this.timer = setTimeout(() => void this.tick(), this.o.retryPeriodMs);
    this.timer.unref();
  }

  private async tryAcquireOrRenew(now: Date): Promise<boolean> {
    const { client, identity, leaseDurationMs } = this.o;
    const mine: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
      renewTime: microTime(now),
    };
    const lease = await client.get(this.ref());
    if (!lease) {
      const created: KubeObject = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.o.name, namespace: this.o.namespace },
        spec: { ...mine, acquireTime: microTime(now), leaseTransitions: 0 },
      };
      return this.write(() => client.create(created));
    }
    const spec = (lease.spec ?? {}) as LeaseSpec;
    const renewedAt = spec.renewTime ? Date.parse(spec.renewTime) : 0;
    const expired = now.getTime() > renewedAt + (spec.leaseDurationSeconds ?? 0) * 1000;
    if (spec.holderIdentity && spec.holderIdentity !== identity && !expired) return false;
    const takeover = spec.holderIdentity !== identity;
    const next: LeaseSpec = takeover
      ? { ...mine, acquireTime: microTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 }
      : { ...spec, ...mine };
    return this.write(() => client.replace({ ...lease, spec: next }));
  }

  private async write(call: () => Promise<KubeObject>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      if (isApiError(error, 409)) return false; // someone else wrote first
      throw error;
    }
  }
}
