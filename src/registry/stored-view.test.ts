import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types/meta.ts';
import { createDecoder, encodeObject } from './codec.ts';
import { storedViews } from './stored-view.ts';

const kv = (object: KubeObject, modRevision: number) => ({
  key: '/registry/apps/deployments/default/web',
  value: encodeObject(object),
  createRevision: 1,
  modRevision,
  version: 1,
});

// What reading the stored bytes back gives, key order included.
const decoded = (object: KubeObject, modRevision = 7) => createDecoder().decode(kv(object, modRevision));

const deployment = (): KubeObject =>
  ({
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx', args: ['-a', '1'] }] } } },
    metadata: { labels: { '2': 'two', app: 'web' }, resourceVersion: '3', name: 'web', namespace: 'default' },
    status: { observedGeneration: 1, conditions: [], paused: null, ratio: 0.5 },
    apiVersion: 'apps/v1',
    kind: 'Deployment',
  }) as unknown as KubeObject;

function viewsOf(object: KubeObject, resourceVersion = '7') {
  const views = storedViews(object, resourceVersion);
  if (!views) throw new Error('expected a JSON-clean object');
  return views;
}

describe('the stored view of a written object', () => {
  it('is what decoding the stored bytes gives, in the same key order, frozen throughout', () => {
    const views = viewsOf(deployment());
    expect(JSON.stringify(views.view)).toBe(JSON.stringify(decoded(deployment())));
    expect(views.view).toEqual(decoded(deployment()));
    expect(Object.isFrozen(views.view)).toBe(true);
    const containers = (views.view.spec as { template: { spec: { containers: object[] } } }).template.spec.containers;
    expect(Object.isFrozen(containers) && Object.isFrozen(containers[0])).toBe(true);
  });

  it('gives the caller an equal, unfrozen object that shares nothing with the cached view', () => {
    const written = deployment();
    const views = viewsOf(written);
    const result = views.result;
    expect(result).toEqual(views.view);
    expect(Object.isFrozen(result) || Object.isFrozen(result.metadata) || Object.isFrozen(result.spec)).toBe(false);
    (result.spec as { replicas: number }).replicas = 9;
    expect((views.view.spec as { replicas: number }).replicas).toBe(2);
  });

  it('declines values JSON would change, so the bytes are decoded instead', () => {
    const cases: Record<string, unknown>[] = [
      { spec: { replicas: undefined } },
      { spec: { ratio: Number.NaN } },
      { spec: { ratio: -0 } },
      { spec: { when: new Date(0) } },
      { spec: { list: [1, undefined] } },
      { spec: { list: new Array(2) } },
      { spec: { list: new Map() } },
    ];
    for (const extra of cases) {
      expect(storedViews({ ...deployment(), ...extra } as KubeObject, '7')).toBeUndefined();
    }
  });

  it('is kept by the decode cache only for its revision, and never replaces an entry', () => {
    const decoder = createDecoder();
    const at7 = kv(deployment(), 7);
    const views = viewsOf(deployment());
    decoder.remember(at7, views.view);
    expect(decoder.decode(at7)).toBe(views.view);
    const other = viewsOf(deployment());
    decoder.remember(at7, other.view);
    expect(decoder.decode(at7)).toBe(views.view);
    expect(decoder.decode(kv(deployment(), 8)).metadata.resourceVersion).toBe('8');
  });
});
