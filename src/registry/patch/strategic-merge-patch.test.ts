import { describe, expect, it } from 'vitest';
import { isStatusError } from '../../status.ts';
import { patchSchemaFor } from './patch-schema.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

const pod = patchSchemaFor('', 'v1', 'Pod');
const deployment = patchSchemaFor('apps', 'v1', 'Deployment');
const names = (list: unknown) => (list as { name: string }[]).map((e) => e.name);
const env = (...names: string[]) => names.map((name) => ({ name, value: name.toLowerCase() }));
const podWith = (spec: object, metadata: object = {}) => ({ metadata, spec });

describe('strategic merge patch: maps', () => {
  it.each([
    [
      'merges maps and deletes keys set to null',
      { a: 1, b: { c: 1, d: 2 } },
      { b: { c: null, e: 3 } },
      { a: 1, b: { d: 2, e: 3 } },
    ],
    ['replaces a map with $patch: replace', { m: { a: 1, b: 2 } }, { m: { $patch: 'replace', c: 3 } }, { m: { c: 3 } }],
    ['empties a map with $patch: delete', { m: { a: 1 } }, { m: { $patch: 'delete' } }, { m: {} }],
    ['drops nulls for keys that were never there', { a: 1 }, { b: { c: null } }, { a: 1, b: {} }],
    ['replaces a scalar by a map', { a: 1 }, { a: { b: 1 } }, { a: { b: 1 } }],
  ])('%s', (_name, original, patch, expected) => {
    expect(applyStrategicMergePatch(original, patch)).toEqual(expected);
  });

  it('keeps only $retainKeys keys (Deployment strategy)', () => {
    const original = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
    const out = applyStrategicMergePatch(
      original,
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      deployment,
    );
    expect(out).toEqual({ spec: { strategy: { type: 'Recreate' } } });
    expect(original.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1 });
  });

  it('refuses a patch key missing from $retainKeys', () => {
    expect(() =>
      applyStrategicMergePatch({}, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, deployment),
    ).toThrow(/not in \$retainKeys/);
  });
});

describe('strategic merge patch: lists with a merge key', () => {
  const containers = [
    { name: 'web', image: 'nginx:1.25', env: env('A'), ports: [{ containerPort: 80 }] },
    { name: 'side', image: 'busybox' },
  ];

  // Without $setElementOrder a new element cannot be placed by the server's order, so it goes first
  // (strategicpatch mergeSortedSlice), a known quirk kubectl avoids by always sending the directive.
  it('merges containers by name, env by name, and keeps unpatched elements', () => {
    const out = applyStrategicMergePatch(
      podWith({ containers }),
      { spec: { containers: [{ name: 'web', image: 'nginx:1.26', env: env('B') }] } },
      pod,
    ) as { spec: { containers: Record<string, unknown>[] } };
    expect(out.spec.containers).toEqual([
      { name: 'web', image: 'nginx:1.26', env: env('B', 'A'), ports: [{ containerPort: 80 }] },
      { name: 'side', image: 'busybox' },
    ]);
  });

  it.each([
    ['deletes an element with $patch: delete', [{ name: 'web', $patch: 'delete' }], ['side']],
    ['puts new elements before the server-only ones', [{ name: 'new', image: 'x' }], ['new', 'web', 'side']],
    ['replaces the list with $patch: replace', [{ $patch: 'replace' }, { name: 'only', image: 'x' }], ['only']],
    ['keeps the patch order for patched elements', [{ name: 'side' }, { name: 'web' }], ['side', 'web']],
  ])('%s', (_name, patch, expected) => {
    const out = applyStrategicMergePatch(podWith({ containers }), { spec: { containers: patch } }, pod) as {
      spec: { containers: unknown };
    };
    expect(names(out.spec.containers)).toEqual(expected);
  });

  it('orders by $setElementOrder, interleaving server-only elements by their old places', () => {
    const live = { env: env('ENV2', 'ENV5', 'ENV1', 'ENV3', 'ENV4') };
    const out = applyStrategicMergePatch(
      { spec: { containers: [{ name: 'c', ...live }] } },
      {
        spec: {
          containers: [
            {
              name: 'c',
              '$setElementOrder/env': [{ name: 'ENV1' }, { name: 'ENV2' }, { name: 'ENV6' }],
              env: [{ name: 'ENV3', $patch: 'delete' }, ...env('ENV6')],
            },
          ],
        },
      },
      pod,
    ) as { spec: { containers: { env: unknown }[] } };
    expect(names(out.spec.containers[0]?.env)).toEqual(['ENV5', 'ENV1', 'ENV2', 'ENV6', 'ENV4']);
  });

  it('reorders with $setElementOrder alone', () => {
    const out = applyStrategicMergePatch(
      podWith({ containers }),
      { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'web' }] } },
      pod,
    ) as { spec: { containers: unknown } };
    expect(names(out.spec.containers)).toEqual(['side', 'web']);
  });

  it('merges container ports by containerPort', () => {
    const out = applyStrategicMergePatch(
      podWith({ containers }),
      { spec: { containers: [{ name: 'web', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] } },
      pod,
    ) as { spec: { containers: { ports: unknown }[] } };
    expect(out.spec.containers[0]?.ports).toEqual([{ containerPort: 80, name: 'http' }, { containerPort: 443 }]);
  });

  it('400s on an element without its merge key', () => {
    try {
      applyStrategicMergePatch(podWith({ containers }), { spec: { containers: [{ image: 'x' }] } }, pod);
      expect.unreachable();
    } catch (err) {
      expect(isStatusError(err) && err.code).toBe(400);
    }
  });
});

describe('strategic merge patch: other lists', () => {
  it('replaces lists without a patch strategy (tolerations, args)', () => {
    const out = applyStrategicMergePatch(
      podWith({ tolerations: [{ key: 'x' }], containers: [{ name: 'a', args: ['1', '2'] }] }),
      { spec: { tolerations: [{ key: 'y' }], containers: [{ name: 'a', args: ['3'] }] } },
      pod,
    ) as { spec: { tolerations: unknown; containers: { args: unknown }[] } };
    expect(out.spec.tolerations).toEqual([{ key: 'y' }]);
    expect(out.spec.containers[0]?.args).toEqual(['3']);
  });

  it.each([
    ['unions primitive merge lists', ['a', 'b'], { finalizers: ['b', 'c'] }, ['a', 'b', 'c']],
    ['removes with $deleteFromPrimitiveList', ['a', 'b'], { '$deleteFromPrimitiveList/finalizers': ['a'] }, ['b']],
    [
      'orders with $setElementOrder',
      ['b', 'e', 'a', 'c', 'd'],
      {
        '$setElementOrder/finalizers': ['a', 'b', 'f'],
        '$deleteFromPrimitiveList/finalizers': ['c'],
        finalizers: ['f'],
      },
      ['e', 'a', 'b', 'f', 'd'],
    ],
  ])('%s', (_name, finalizers, patch, expected) => {
    const out = applyStrategicMergePatch({ metadata: { finalizers } }, { metadata: patch }, pod) as {
      metadata: { finalizers: unknown };
    };
    expect(out.metadata.finalizers).toEqual(expected);
  });

  it('treats lists of an unknown schema as replaced', () => {
    expect(applyStrategicMergePatch({ a: [1, 2] }, { a: [3] })).toEqual({ a: [3] });
  });

  it('applies the recorded kubectl apply patch of a Deployment', () => {
    const live = {
      spec: {
        replicas: 1,
        template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent' }] } },
      },
    };
    const out = applyStrategicMergePatch(
      live,
      {
        spec: {
          replicas: 2,
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'web' }],
              containers: [{ image: 'nginx:1.26', name: 'web' }],
            },
          },
        },
      },
      deployment,
    );
    expect(out).toEqual({
      spec: {
        replicas: 2,
        template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26', imagePullPolicy: 'IfNotPresent' }] } },
      },
    });
  });
});
