import { describe, expect, it } from 'vitest';
import { newRevision, revisionsToPrune, sameRevisionData, templateOf } from './controller-revision.ts';

const owner = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'ns', uid: 'u1' },
  spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } } },
});

describe('controller revisions', () => {
  it('names a revision <owner>-<hash>, stores a replace patch, and restores the template from it', () => {
    const r = newRevision(owner('nginx:1'), 1, 0);
    expect(r.metadata.name).toBe(`web-${r.metadata.labels?.['controller.kubernetes.io/hash']}`);
    expect(r.metadata.labels?.app).toBe('web');
    expect(r.data?.spec?.template?.$patch).toBe('replace');
    expect(templateOf(r)).toEqual(owner('nginx:1').spec.template);
    expect(r.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'StatefulSet', uid: 'u1', controller: true });
  });

  it('gives equal templates equal data and a new hash per collision count', () => {
    expect(sameRevisionData(newRevision(owner('a'), 1, 0), newRevision(owner('a'), 5, 0))).toBe(true);
    expect(sameRevisionData(newRevision(owner('a'), 1, 0), newRevision(owner('b'), 1, 0))).toBe(false);
    expect(newRevision(owner('a'), 1, 0).metadata.name).not.toBe(newRevision(owner('a'), 1, 1).metadata.name);
  });

  it('prunes the oldest unused revisions beyond the history limit', () => {
    const revisions = ['a', 'b', 'c', 'd'].map((image, i) => newRevision(owner(image), i + 1, 0));
    const inUse = new Set([revisions[0]?.metadata.name ?? '']);
    expect(revisionsToPrune(revisions, inUse, 1).map((r) => r.revision)).toEqual([2, 3]);
    expect(revisionsToPrune(revisions, inUse, 10)).toEqual([]);
  });
});
