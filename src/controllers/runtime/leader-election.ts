/**
 * Leader election through a coordination.k8s.io/v1 Lease, as client-go's leaderelection package does
 * it, so two wharf processes on one store never both run controllers:
 * - a candidate takes the lease when it is free or its holder has not renewed for leaseDurationSeconds;
 *   "not renewed" is judged by when *we* last saw the record change (observedTime), not by the
 *   holder's renewTime, so clock skew between machines does not matter;
 * - the leader renews every retryPeriod; if no renewal succeeds within renewDeadline it stops leading
 *   (and its work is cancelled) before anyone else may take over (renewDeadline < leaseDuration);
 * - on a clean stop the leader releases the lease so a successor need not wait out the duration.
 * Every write carries the read resourceVersion: of two candidates racing, one gets 409 and loses.
 */
import { leases } from '../../client/resources.ts';
import type { KubeClient } from '../../client/types.ts';
import { isStatusError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { type Clock, realClock, toMicroTime } from './clock.ts';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

export interface LeaderElectionOptions {
  client: KubeClient;
  /** Lease name, e.g. 'kube-controller-manager'. */
  name: string;
  namespace?: string;
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
  clock?: Clock;
  /** Called on becoming leader; `signal` aborts when leadership ends. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when leadership ends (lost, or stopped); awaited before the lease is given up. */
  onStoppedLeading?(): void | Promise<void>;
  onError?(err: unknown): void;
}

export interface LeaderElector {
  isLeader(): boolean;
  /** Campaigns, leads, and campaigns again after losing, until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
}

export function createLeaderElector(o: LeaderElectionOptions): LeaderElector {
  const clock = o.clock ?? realClock;
  const namespace = o.namespace ?? 'kube-system';
  const leaseDurationMs = (o.leaseDurationSeconds ?? 15) * 1000;
  const renewDeadlineMs = (o.renewDeadlineSeconds ?? 10) * 1000;
  const retryPeriodMs = (o.retryPeriodSeconds ?? 2) * 1000;
  const client = o.client.resource<Lease>(leases);
  const onError = o.onError ?? ((err: unknown) => console.error(`leader election ${o.name}:`, err));
  let observed: { record: string; at: number } | undefined;
  let leading = false;

  function observe(lease: Lease) {
    const record = JSON.stringify(lease.spec ?? {});
    if (observed?.record !== record) observed = { record, at: clock.now() };
  }

  /** One attempt; true when we hold the lease afterwards. */
  async function tryAcquireOrRenew(): Promise<boolean> {
    const now = toMicroTime(clock.now());
    let current: Lease;
    try {
      current = await client.get(o.name, namespace);
    } catch (err) {
      if (!isStatusError(err) || err.code !== 404) throw err;
      const spec: LeaseSpec = {
        holderIdentity: o.identity,
        leaseDurationSeconds: leaseDurationMs / 1000,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: 0,
      };
      const created = await client.create({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: o.name, namespace },
        spec,
      });
      observe(created);
      return true;
    }
    observe(current);
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const isOurs = holder === o.identity;
    const duration = (spec.leaseDurationSeconds ?? leaseDurationMs / 1000) * 1000;
    if (!isOurs && holder !== '' && observed && observed.at + duration > clock.now()) return false;
    const next: LeaseSpec = {
      ...spec,
      holderIdentity: o.identity,
      leaseDurationSeconds: leaseDurationMs / 1000,
      renewTime: now,
    };
    if (!isOurs) {
      next.acquireTime = now;
      next.leaseTransitions = (spec.leaseTransitions ?? 0) + 1;
    }
    const updated = await client.update({ ...current, spec: next });
    observe(updated);
    return true;
  }

  async function attempt(): Promise<boolean> {
    try {
      return await tryAcquireOrRenew();
    } catch (err) {
      if (!isStatusError(err) || err.code !== 409) onError(err);
      return false;
    }
  }

  async function release() {
    try {
      const current = await client.get(o.name, namespace);
      if (current.spec?.holderIdentity !== o.identity) return;
      const now = toMicroTime(clock.now());
      // client-go's release: empty holder, 1 s duration, so the next candidate takes over at once.
      await client.update({
        ...current,
        spec: { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now },
      });
    } catch (err) {
      onError(err);
    }
  }

  async function lead(signal: AbortSignal) {
    const leadership = new AbortController();
    const stopLeading = () => leadership.abort();
    signal.addEventListener('abort', stopLeading, { once: true });
    leading = true;
    let lastRenew = clock.now();
    try {
      await o.onStartedLeading(leadership.signal);
      while (!signal.aborted) {
        await clock.sleep(retryPeriodMs, signal);
        if (signal.aborted) break;
        if (await attempt()) lastRenew = clock.now();
        else if (clock.now() - lastRenew >= renewDeadlineMs) break;
      }
    } finally {
      signal.removeEventListener('abort', stopLeading);
      leadership.abort();
      leading = false;
      await o.onStoppedLeading?.();
    }
    if (signal.aborted) await release();
  }

  return {
    isLeader: () => leading,
    async run(signal) {
      while (!signal.aborted) {
        if (await attempt()) {
          if (signal.aborted) {
            await release();
            return;
          }
          await lead(signal);
          continue;
        }
        await clock.sleep(retryPeriodMs, signal);
      }
    },
  };
}
