import { describe, expect, it } from 'vitest';
import { labelSelectorFromSpec } from '../selectors/index.ts';
import { addPod, newNodeInfo, toPodInfo } from './node-info.ts';
import { PodIndex, withTrialNode } from './pod-index.ts';
import { node, pod } from './testing/builders.ts';
import type { Pod } from './types.ts';

const web = labelSelectorFromSpec({ matchLabels: { app: 'web' } });
const inDefault = new Set(['default']);
const antiWeb = {
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
    ],
  },
};

function cluster() {
  const infos = ['a', 'b'].map((name) => newNodeInfo(node({ name, labels: { zone: `z-${name}` } })));
  const index = new PodIndex(() => infos);
  const place = (nodeName: string, p: Pod) => {
    const placed = { ...p, spec: { ...p.spec, nodeName } };
    addPod(infos.find((i) => i.name === nodeName) as (typeof infos)[number], toPodInfo(placed));
    index.added(nodeName, placed);
    return placed;
  };
  return { infos, index, place };
}

describe('PodIndex', () => {
  it('counts matching pods per node from the first use on, as pods come and go', () => {
    const { index, place } = cluster();
    place('a', pod({ labels: { app: 'web' } }));
    place('a', pod({ labels: { app: 'db' } }));
    place('a', pod({ namespace: 'other', labels: { app: 'web' } }));
    expect([...index.countByNode(inDefault, web, false)]).toEqual([['a', 1]]);
    const second = place('b', pod({ labels: { app: 'web', tier: 'front' } }));
    expect(index.countByNode(inDefault, web, false).get('b')).toBe(1);
    index.removed('b', second);
    expect(index.countByNode(inDefault, web, false).has('b')).toBe(false);
  });

  it('leaves out terminating pods when asked (topology spread does, affinity does not)', () => {
    const { index, place } = cluster();
    place('a', {
      ...pod({ labels: { app: 'web' } }),
      metadata: { ...pod().metadata, labels: { app: 'web' }, deletionTimestamp: '2024-01-01T00:00:00Z' },
    });
    expect(index.countByNode(inDefault, web, true).size).toBe(0);
    expect(index.countByNode(inDefault, web, false).get('a')).toBe(1);
  });

  it('finds the required anti-affinity of placed pods that could select a newcomer, until they leave', () => {
    const { index, place } = cluster();
    const holder = place('b', pod({ labels: { app: 'db' }, affinity: antiWeb }));
    const found = index.antiAffinityTerms(pod({ labels: { app: 'web' } }));
    expect(found.map((h) => [h.term.topologyKey, [...h.nodes]])).toEqual([['kubernetes.io/hostname', [['b', 1]]]]);
    // Indexed by the term's required label: a pod without app=web is not even offered the term.
    expect(index.antiAffinityTerms(pod({ labels: { app: 'db' } }))).toHaveLength(0);
    index.removed('b', holder);
    expect(index.antiAffinityTerms(pod({ labels: { app: 'web' } }))).toHaveLength(0);
  });

  it('lists the values of a topology key until nodes change', () => {
    const { infos, index } = cluster();
    expect([...index.domains('zone')].sort()).toEqual(['z-a', 'z-b']);
    infos.push(newNodeInfo(node({ name: 'c', labels: { zone: 'z-c' } })));
    index.nodesChanged();
    expect(index.domains('zone').size).toBe(3);
  });

  it('answers for a trial node (preemption without some pods) from that node’s own pods', () => {
    const { infos, index, place } = cluster();
    place('a', pod({ labels: { app: 'web' } }));
    place('b', pod({ labels: { app: 'web' } }));
    place('a', pod({ labels: { app: 'db' }, affinity: antiWeb }));
    const trial = newNodeInfo((infos[0] as (typeof infos)[number]).node);
    const lookup = withTrialNode(index, trial);
    expect([...lookup.countByNode(inDefault, web, false)]).toEqual([['b', 1]]);
    expect(lookup.antiAffinityTerms(pod({ labels: { app: 'web' } })).every((h) => h.nodes.size === 0)).toBe(true);
  });
});
