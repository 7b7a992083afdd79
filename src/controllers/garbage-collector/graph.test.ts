import { describe, expect, it } from 'vitest';
import type { ServedResource } from '../../client/types.ts';
import type { KubeObject } from '../../types/meta.ts';
import { createOwnershipGraph } from './graph.ts';

const configMaps: ServedResource = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
  verbs: ['list', 'watch', 'delete'],
};
const object = (uid: string, owners: string[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: uid,
    namespace: 'default',
    uid,
    ownerReferences: owners.map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o, uid: o })),
  },
});

describe('ownership graph', () => {
  it('files dependents under owners that are not (yet) known', () => {
    const graph = createOwnershipGraph();
    graph.upsert(configMaps, object('child', ['missing']));
    expect(graph.get('missing')).toBeUndefined();
    expect(graph.dependentsOf('missing').map((n) => n.name)).toEqual(['child']);
  });
  it('moves a dependent when its ownerReferences change, and forgets removed objects', () => {
    const graph = createOwnershipGraph();
    graph.upsert(configMaps, object('a'));
    graph.upsert(configMaps, object('b'));
    graph.upsert(configMaps, object('child', ['a']));
    graph.upsert(configMaps, object('child', ['b']));
    expect(graph.dependentsOf('a')).toEqual([]);
    expect(graph.dependentsOf('b').map((n) => n.uid)).toEqual(['child']);
    graph.remove(object('child'));
    expect(graph.dependentsOf('b')).toEqual([]);
    expect(graph.size()).toBe(2);
  });
});
