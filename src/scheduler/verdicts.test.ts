import { describe, expect, it } from 'vitest';
import type { AnyPlugin } from './framework.ts';
import { addPod, removePod, setNominated, toPodInfo } from './node-info.ts';
import { defaultProfile, type Profile } from './plugins/index.ts';
import type { PodIndex } from './pod-index.ts';
import { scheduleOne } from './schedule-one.ts';
import { node, pod, snapshot } from './testing/builders.ts';
import { podShape, Verdicts } from './verdicts.ts';

/** The default filters, counting how often a node is judged; `alone: false` withdraws the promise. */
function counting(alone = true): { profile: Profile; judged: () => number } {
  let calls = 0;
  const base = defaultProfile('counted', {}, ['DefaultPreemption']);
  const plugins = base.plugins.map((p): AnyPlugin => {
    if (!p.filter) return p;
    const filter = p.filter.bind(p);
    return {
      ...p,
      judgesNodeAlone: alone && p.judgesNodeAlone,
      filter: (c, q, n) => {
        if (p.name === 'NodeResourcesFit') calls++;
        return filter(c, q, n);
      },
    };
  });
  return { profile: { ...base, plugins }, judged: () => calls };
}

function fullCluster(nominatedTo = new Map<string, string>()) {
  const names = ['a', 'b', 'c', 'd'];
  const placed = Object.fromEntries(names.map((n) => [n, [pod({ cpu: '900m' })]]));
  const snap = snapshot(
    names.map((name) => node({ name, cpu: '1' })),
    placed,
  );
  return Object.assign(snap, {
    verdicts: new Verdicts(),
    nominatedNodeOf: (p: ReturnType<typeof pod>) => nominatedTo.get(p.metadata.uid as string),
  });
}

describe('reused verdicts', () => {
  it('judge again only the nodes that changed since a pod of the same shape was judged', () => {
    const { profile, judged } = counting();
    const snap = fullCluster();
    const cursor = { nextStartIndex: 0 };
    expect(scheduleOne(profile, snap, pod({ cpu: '500m' }), cursor).kind).toBe('unschedulable');
    expect(judged()).toBe(4);
    // Same shape: nothing changed, nothing judged, same answer.
    const again = scheduleOne(profile, snap, pod({ cpu: '500m' }), cursor);
    expect(again).toMatchObject({ kind: 'unschedulable', message: expect.stringContaining('4 Insufficient cpu') });
    expect(judged()).toBe(4);
    // A pod leaves c: only c is judged again, and now it fits.
    const c = snap.infos[2] as (typeof snap.infos)[number];
    removePod(c, [...c.pods.keys()][0] as string);
    expect(scheduleOne(profile, snap, pod({ cpu: '500m' }), cursor)).toMatchObject({ kind: 'scheduled', node: 'c' });
    expect(judged()).toBe(5);
    // Another shape asks its own question.
    scheduleOne(profile, snap, pod({ cpu: '600m' }), cursor);
    expect(judged()).toBe(9);
  });

  it('see placements and nominations as changes', () => {
    const { profile, judged } = counting();
    const snap = fullCluster();
    const cursor = { nextStartIndex: 0 };
    const a = snap.infos[0] as (typeof snap.infos)[number];
    scheduleOne(profile, snap, pod({ cpu: '50m' }), cursor);
    expect(judged()).toBe(4);
    addPod(a, toPodInfo(pod({ cpu: '60m' })));
    scheduleOne(profile, snap, pod({ cpu: '50m' }), cursor);
    expect(judged()).toBe(5);
    setNominated(a, [toPodInfo(pod({ cpu: '10m' }))]);
    scheduleOne(profile, snap, pod({ cpu: '50m' }), cursor);
    expect(judged()).toBe(6);
  });

  it("judge a pod's own nominated node afresh: there its nomination does not count against it", () => {
    const { profile } = counting();
    const nominatedTo = new Map<string, string>();
    const snap = fullCluster(nominatedTo);
    const b = snap.infos[1] as (typeof snap.infos)[number];
    for (const other of [0, 2, 3]) addPod(snap.infos[other] as typeof b, toPodInfo(pod({ cpu: '100m' })));
    // Only b has room left, for exactly one 100m pod, promised to `first`.
    const first = pod({ cpu: '100m' });
    nominatedTo.set(first.metadata.uid as string, 'b');
    setNominated(b, [toPodInfo(first)]);
    const cursor = { nextStartIndex: 0 };
    // A pod of the same shape sees b taken, and that answer is remembered for the shape...
    expect(scheduleOne(profile, snap, pod({ cpu: '100m' }), cursor).kind).toBe('unschedulable');
    // ...but `first` itself still fits there.
    expect(scheduleOne(profile, snap, first, cursor)).toMatchObject({ kind: 'scheduled', node: 'b' });
  });

  it('are reused for the filters before one that looks wider, which judges every node afresh', () => {
    const { profile, judged } = counting();
    const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z });
    const web = () =>
      pod({
        cpu: '100m',
        labels: { app: 'web' },
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'DoNotSchedule',
            labelSelector: { matchLabels: { app: 'web' } },
          },
        ],
      });
    const snap = Object.assign(
      snapshot(
        [
          node({ name: 'a1', labels: zone('a') }),
          node({ name: 'a2', labels: zone('a') }),
          node({ name: 'b1', labels: zone('b') }),
        ],
        { a1: [web()] },
      ),
      { verdicts: new Verdicts() },
    );
    const cursor = { nextStartIndex: 0 };
    const first = scheduleOne(profile, snap, web(), cursor);
    expect(first).toMatchObject({ kind: 'scheduled', node: 'b1', feasible: 1 });
    expect(judged()).toBe(3);
    const placed = { ...web(), spec: { ...web().spec, nodeName: 'b1' } };
    addPod(snap.infos[2] as (typeof snap.infos)[number], toPodInfo(placed));
    (snap.pods as PodIndex).added('b1', placed);
    // Zone a's nodes did not change, so their resource answers are reused; the spread is counted anew and
    // now lets them in.
    expect(scheduleOne(profile, snap, web(), cursor)).toMatchObject({ kind: 'scheduled', feasible: 3 });
    expect(judged()).toBe(4);
  });

  it('are not reused when a filter looks beyond the node', () => {
    const { profile, judged } = counting(false);
    const snap = fullCluster();
    const cursor = { nextStartIndex: 0 };
    scheduleOne(profile, snap, pod({ cpu: '500m' }), cursor);
    scheduleOne(profile, snap, pod({ cpu: '500m' }), cursor);
    expect(judged()).toBe(8);
  });
});

describe('podShape', () => {
  it('is what the node-alone filters read, not the per-pod token volume', () => {
    const withVolume = (suffix: string) => {
      const p = pod({ cpu: '100m' });
      p.spec.volumes = [{ name: `kube-api-access-${suffix}` }];
      return p;
    };
    expect(podShape(withVolume('abcde'))).toBe(podShape(withVolume('fghij')));
    expect(podShape(pod({ cpu: '100m' }))).not.toBe(podShape(pod({ cpu: '200m' })));
    expect(podShape(pod({ cpu: '100m', priority: 1 }))).not.toBe(podShape(pod({ cpu: '100m' })));
    expect(podShape(pod({ cpu: '100m', tolerations: [{ key: 'k', operator: 'Exists' }] }))).not.toBe(
      podShape(pod({ cpu: '100m' })),
    );
  });
});

describe('reused preemption victims', () => {
  it('see a nomination take the room it freed, so a burst of preemptors spreads over the nodes', () => {
    const nominatedTo = new Map<string, string>();
    const names = ['a', 'b', 'c'];
    const victims = Object.fromEntries(names.map((n) => [n, [pod({ cpu: '400m' }), pod({ cpu: '400m' })]]));
    const snap = Object.assign(
      snapshot(
        names.map((name) => node({ name, cpu: '1' })),
        victims,
      ),
      {
        verdicts: new Verdicts(),
        nominatedNodeOf: (p: ReturnType<typeof pod>) => nominatedTo.get(p.metadata.uid as string),
      },
    );
    const picked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const preemptor = pod({ cpu: '400m', priority: 100 });
      const result = scheduleOne(defaultProfile(), snap, preemptor, { nextStartIndex: 0 });
      if (result.kind !== 'unschedulable' || !result.nominatedNode) throw new Error('expected a nomination');
      expect(result.victims).toHaveLength(1);
      picked.push(result.nominatedNode);
      // What the scheduler does with the outcome: the room is promised to the preemptor.
      const target = snap.get(result.nominatedNode) as NonNullable<ReturnType<typeof snap.get>>;
      nominatedTo.set(preemptor.metadata.uid as string, target.name);
      setNominated(target, [...target.nominated, toPodInfo(preemptor)]);
    }
    expect(picked).toEqual(['a', 'b', 'c']);
  });
});
