import { beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../types/meta.ts';
import { newTestRegistry, statusOf, type TestRegistry } from '../testing/test-registry.ts';

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
type PodOut = KubeObject & { spec: { containers: Array<{ resources?: Resources }> } };

describe('LimitRanger admission', () => {
  let t: TestRegistry;
  const limitRange = (limits: object[]) =>
    t.create('limitranges', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr' }, spec: { limits } });
  const pod = (name: string, ...resources: Resources[]) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: resources.map((r, i) => ({ name: `c${i}`, image: 'nginx', resources: r })) },
  });
  const create = async (name: string, ...resources: Resources[]) =>
    (await t.create('pods', pod(name, ...resources))) as PodOut;

  beforeEach(async () => {
    t = await newTestRegistry();
  });

  it('fills default limits and requests into containers that lack them, and says so in an annotation', async () => {
    await limitRange([
      {
        type: 'Container',
        default: { cpu: '500m', memory: '500Mi' },
        defaultRequest: { cpu: '100m', memory: '200Mi' },
      },
    ]);
    const bare = await create('bare', {});
    expect(bare.spec.containers[0]?.resources).toEqual({
      limits: { cpu: '500m', memory: '500Mi' },
      requests: { cpu: '100m', memory: '200Mi' },
    });
    expect(bare.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu, memory request for container c0; cpu, memory limit for container c0',
    );
    // A limit without a request became the request before admission; defaults only fill what is left.
    const partial = await create('partial', { requests: { memory: '150Mi' }, limits: { cpu: '300m' } });
    expect(partial.spec.containers[0]?.resources).toEqual({
      limits: { cpu: '300m', memory: '500Mi' },
      requests: { cpu: '300m', memory: '150Mi' },
    });
  });

  it('refuses a container outside min and max with every broken constraint listed', async () => {
    await limitRange([
      { type: 'Container', min: { cpu: '50m', memory: '100Mi' }, max: { cpu: '500m', memory: '500Mi' } },
    ]);
    expect(
      await statusOf(
        create('small', { requests: { cpu: '10m', memory: '50Mi' }, limits: { cpu: '100m', memory: '200Mi' } }),
      ),
    ).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'pods "small" is forbidden: [minimum cpu usage per Container is 50m, but request is 10m, minimum memory usage per Container is 100Mi, but request is 50Mi]',
    });
    expect((await statusOf(create('big', { limits: { cpu: '600m', memory: '500Mi' } }))).message).toBe(
      'pods "big" is forbidden: maximum cpu usage per Container is 500m, but limit is 600m',
    );
    // Without a default, the max is the default limit (LimitRange defaulting), so a bare request passes.
    const capped = await create('capped', { requests: { cpu: '100m', memory: '200Mi' } });
    expect(capped.spec.containers[0]?.resources?.limits).toEqual({ cpu: '500m', memory: '500Mi' });
  });

  it('bounds the sum over the containers with a Pod item, and the limit/request ratio', async () => {
    await limitRange([
      { type: 'Pod', max: { cpu: '1' } },
      { type: 'Container', maxLimitRequestRatio: { memory: '2' } },
    ]);
    const half = { requests: { cpu: '600m', memory: '100Mi' }, limits: { cpu: '600m', memory: '200Mi' } };
    expect((await statusOf(create('pair', half, half))).message).toBe(
      'pods "pair" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m',
    );
    expect(
      (await statusOf(create('ratio', { requests: { memory: '100Mi' }, limits: { memory: '300Mi', cpu: '1' } })))
        .message,
    ).toBe(
      'pods "ratio" is forbidden: memory max limit to request ratio per Container is 2, but provided ratio is 3.000000',
    );
  });

  it("bounds a PersistentVolumeClaim's storage request", async () => {
    await limitRange([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '2Gi' } }]);
    const claim = (name: string, storage: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
    });
    expect((await statusOf(t.create('persistentvolumeclaims', claim('huge', '5Gi')))).message).toBe(
      'persistentvolumeclaims "huge" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi',
    );
    expect((await t.create('persistentvolumeclaims', claim('fits', '1536Mi'))).metadata.name).toBe('fits');
  });
});
