import { beforeEach, describe, expect, it } from 'vitest';
import { newTestRegistry, podBody, statusOf, type TestRegistry } from '../testing/test-registry.ts';

interface AdmittedSpec {
  overhead?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: Array<Record<string, unknown>>;
}

describe('RuntimeClass admission', () => {
  let t: TestRegistry;
  const create = async (name: string, spec: Record<string, unknown>) =>
    (await t.create('pods', podBody(name, spec))).spec as AdmittedSpec;
  const refusal = (name: string, spec: Record<string, unknown>) => statusOf(create(name, spec));
  const runtimeClass = (name: string, extra: Record<string, unknown> = {}) =>
    t.create(
      'runtimeclasses',
      { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name }, handler: 'runc', ...extra },
      undefined,
      'node.k8s.io',
    );

  beforeEach(async () => {
    t = await newTestRegistry();
  });

  it('refuses a pod naming a RuntimeClass that does not exist', async () => {
    expect(await refusal('p', { runtimeClassName: 'gone' })).toMatchObject({
      code: 403,
      message: 'pods "p" is forbidden: pod rejected: RuntimeClass "gone" not found',
    });
  });

  it("copies the class's podFixed overhead into spec.overhead, and accepts an equal one the pod set", async () => {
    await runtimeClass('kata', { overhead: { podFixed: { cpu: '250m', memory: '1Mi' } } });
    expect((await create('a', { runtimeClassName: 'kata' })).overhead).toEqual({ cpu: '250m', memory: '1Mi' });
    const same = await create('b', { runtimeClassName: 'kata', overhead: { cpu: '0.25', memory: '1048576' } });
    expect(same.overhead).toEqual({ cpu: '250m', memory: '1Mi' });
  });

  it('refuses an overhead that differs from the class, or comes without a class that defines one', async () => {
    await runtimeClass('kata', { overhead: { podFixed: { cpu: '250m' } } });
    await runtimeClass('plain');
    expect(await refusal('a', { runtimeClassName: 'kata', overhead: { cpu: '1' } })).toMatchObject({
      code: 403,
      message: `pods "a" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead`,
    });
    for (const spec of [{ overhead: { cpu: '1' } }, { runtimeClassName: 'plain', overhead: { cpu: '1' } }]) {
      expect(await refusal('b', spec)).toMatchObject({
        code: 403,
        message:
          'pods "b" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead',
      });
    }
  });

  it("merges the class's scheduling nodeSelector and tolerations, refusing a contradicting selector", async () => {
    const toleration = { key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' };
    await runtimeClass('gvisor', { scheduling: { nodeSelector: { sandbox: 'gvisor' }, tolerations: [toleration] } });
    const spec = await create('a', {
      runtimeClassName: 'gvisor',
      nodeSelector: { zone: 'a' },
      tolerations: [toleration],
    });
    expect(spec.nodeSelector).toEqual({ zone: 'a', sandbox: 'gvisor' });
    // Once, though both name it (DefaultTolerationSeconds adds its own two as well).
    expect(spec.tolerations?.filter((x) => x.key === 'sandbox')).toEqual([toleration]);
    expect(await refusal('b', { runtimeClassName: 'gvisor', nodeSelector: { sandbox: 'runc' } })).toMatchObject({
      code: 403,
      message:
        'pods "b" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[sandbox] = gvisor; pod.spec.nodeSelector[sandbox] = runc',
    });
  });
});
