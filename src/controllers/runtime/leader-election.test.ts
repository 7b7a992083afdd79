import { describe, expect, it } from 'vitest';
import type { KubeClient, ResourceClient } from '../../client/types.ts';
import { conflict, notFound, serviceUnavailable } from '../../status.ts';
import { createFakeClock, type FakeClock } from './fake-clock.ts';
import { createLeaderElector, type Lease } from './leader-election.ts';

/** Just enough of a lease API: get/create/update with resourceVersion checks, and an outage switch. */
function leaseServer() {
  const leases = new Map<string, Lease>();
  let revision = 0;
  const state = { down: false, writes: 0 };
  const gr = { group: 'coordination.k8s.io', resource: 'leases' };
  const check = () => {
    if (state.down) throw serviceUnavailable('store unavailable');
  };
  const resource = {
    async get(name: string) {
      check();
      const lease = leases.get(name);
      if (!lease) throw notFound(gr, name);
      return structuredClone(lease);
    },
    async create(lease: Lease) {
      check();
      const name = lease.metadata.name!;
      if (leases.has(name)) throw conflict(gr, name);
      const stored = {
        ...structuredClone(lease),
        metadata: { ...lease.metadata, resourceVersion: String(++revision) },
      };
      leases.set(name, stored);
      state.writes++;
      return structuredClone(stored);
    },
    async update(lease: Lease) {
      check();
      const name = lease.metadata.name!;
      if (leases.get(name)?.metadata.resourceVersion !== lease.metadata.resourceVersion) throw conflict(gr, name);
      const stored = {
        ...structuredClone(lease),
        metadata: { ...lease.metadata, resourceVersion: String(++revision) },
      };
      leases.set(name, stored);
      state.writes++;
      return structuredClone(stored);
    },
  } as unknown as ResourceClient;
  const client = { resource: () => resource } as unknown as KubeClient;
  return { client, leases, state };
}

function candidate(client: KubeClient, clock: FakeClock, identity: string) {
  const log: string[] = [];
  const elector = createLeaderElector({
    client,
    clock,
    name: 'wharf-controller-manager',
    identity,
    onStartedLeading: () => void log.push('started'),
    onStoppedLeading: () => void log.push('stopped'),
    onError: () => {},
  });
  const stop = new AbortController();
  const running = elector.run(stop.signal);
  return { elector, log, stop, running };
}

describe('leader election', () => {
  it('creates the lease in kube-system and leads', async () => {
    const clock = createFakeClock();
    const server = leaseServer();
    const a = candidate(server.client, clock, 'a');
    await clock.advance(0);
    expect(a.elector.isLeader()).toBe(true);
    expect(a.log).toEqual(['started']);
    const lease = server.leases.get('wharf-controller-manager')!;
    expect(lease.metadata.namespace).toBe('kube-system');
    expect(lease.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(lease.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    a.stop.abort();
    await a.running;
  });

  it('never lets two candidates lead at once, and renews every 2 s', async () => {
    const clock = createFakeClock();
    const server = leaseServer();
    const a = candidate(server.client, clock, 'a');
    await clock.advance(0);
    const b = candidate(server.client, clock, 'b');
    for (let i = 0; i < 20; i++) {
      await clock.advance(1000);
      expect(a.elector.isLeader() && b.elector.isLeader()).toBe(false);
    }
    expect(a.elector.isLeader()).toBe(true);
    expect(b.log).toEqual([]);
    const renewTime = server.leases.get('wharf-controller-manager')?.spec?.renewTime;
    expect(Date.parse(renewTime!)).toBe(clock.now());
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.running, b.running]);
  });

  it('takes over once the holder stops renewing for the lease duration, counting the transition', async () => {
    const clock = createFakeClock();
    const server = leaseServer();
    server.leases.set('wharf-controller-manager', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'wharf-controller-manager', namespace: 'kube-system', resourceVersion: '1' },
      spec: { holderIdentity: 'dead', leaseDurationSeconds: 15, leaseTransitions: 3 },
    });
    const b = candidate(server.client, clock, 'b');
    await clock.advance(14_000);
    expect(b.elector.isLeader()).toBe(false);
    await clock.advance(2000);
    expect(b.elector.isLeader()).toBe(true);
    expect(server.leases.get('wharf-controller-manager')?.spec).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 4,
    });
    b.stop.abort();
    await b.running;
  });

  it('stops leading when renewals fail for the renew deadline, before the lease can expire', async () => {
    const clock = createFakeClock();
    const server = leaseServer();
    const a = candidate(server.client, clock, 'a');
    await clock.advance(0);
    server.state.down = true;
    await clock.advance(8000);
    expect(a.elector.isLeader()).toBe(true);
    await clock.advance(2000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.log).toEqual(['started', 'stopped']);
    server.state.down = false;
    await clock.advance(2000);
    expect(a.elector.isLeader()).toBe(true);
    a.stop.abort();
    await a.running;
  });

  it('releases the lease on stop so a successor takes over without waiting', async () => {
    const clock = createFakeClock();
    const server = leaseServer();
    const a = candidate(server.client, clock, 'a');
    await clock.advance(0);
    const b = candidate(server.client, clock, 'b');
    await clock.advance(0);
    a.stop.abort();
    await a.running;
    expect(a.log).toEqual(['started', 'stopped']);
    expect(server.leases.get('wharf-controller-manager')?.spec?.holderIdentity).toBe('');
    await clock.advance(2000);
    expect(b.elector.isLeader()).toBe(true);
    expect(server.leases.get('wharf-controller-manager')?.spec?.leaseTransitions).toBe(1);
    b.stop.abort();
    await b.running;
  });
});
