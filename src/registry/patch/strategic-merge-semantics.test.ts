/**
 * More rows for strategic merge patch, each from the documented semantics (sig-api-machinery
 * strategic-merge-patch.md): explicit $patch: merge, directives inside list elements, $retainKeys on
 * volumes, merge-key lists of scalars' neighbours, and the errors a server gives for bad directives.
 */
import { describe, expect, it } from 'vitest';
import { isStatusError } from '../../status.ts';
import { patchSchemaFor } from './patch-schema.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

const pod = patchSchemaFor('', 'v1', 'Pod');
const spec = (s: object) => ({ metadata: { name: 'p' }, spec: s });
const run = (original: object, patch: object) =>
  applyStrategicMergePatch(spec(original), { spec: patch }, pod) as { spec: Record<string, unknown> };

describe('strategic merge patch: documented rows', () => {
  it.each([
    [
      '$patch: merge on a map is the default merge',
      { nodeSelector: { a: '1' } },
      { nodeSelector: { $patch: 'merge', b: '2' } },
      { nodeSelector: { a: '1', b: '2' } },
    ],
    [
      'an element marked $patch: replace makes the list the other elements of the patch (itself excluded)',
      {
        containers: [
          { name: 'web', image: 'a', args: ['x'] },
          { name: 'side', image: 'b' },
        ],
      },
      {
        containers: [
          { name: 'web', image: 'c', $patch: 'replace' },
          { name: 'new', image: 'd' },
        ],
      },
      { containers: [{ name: 'new', image: 'd' }] },
    ],
    [
      'a merge-key element merges field by field, nested lists by their own keys',
      {
        containers: [
          {
            name: 'web',
            image: 'a',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
        ],
      },
      { containers: [{ name: 'web', env: [{ name: 'B', value: 'two' }] }] },
      {
        containers: [
          {
            name: 'web',
            image: 'a',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: 'two' },
            ],
          },
        ],
      },
    ],
    [
      'a null field inside a merge-key element deletes it',
      { containers: [{ name: 'web', image: 'a', workingDir: '/x' }] },
      { containers: [{ name: 'web', workingDir: null }] },
      { containers: [{ name: 'web', image: 'a' }] },
    ],
    [
      '$retainKeys on a volume drops the old source when the patch switches it',
      { volumes: [{ name: 'v', emptyDir: {} }] },
      {
        volumes: [{ name: 'v', $retainKeys: ['name', 'configMap'], configMap: { name: 'cm' } }],
      },
      { volumes: [{ name: 'v', configMap: { name: 'cm' } }] },
    ],
    [
      'a volume patched without $retainKeys keeps both sources (what old kubectl produced)',
      { volumes: [{ name: 'v', emptyDir: {} }] },
      { volumes: [{ name: 'v', configMap: { name: 'cm' } }] },
      { volumes: [{ name: 'v', emptyDir: {}, configMap: { name: 'cm' } }] },
    ],
    [
      'a list without a merge key (imagePullSecrets is keyed, tolerations is not) is replaced whole',
      { tolerations: [{ key: 'a' }, { key: 'b' }], imagePullSecrets: [{ name: 'x' }] },
      { tolerations: [{ key: 'c' }], imagePullSecrets: [{ name: 'y' }] },
      { tolerations: [{ key: 'c' }], imagePullSecrets: [{ name: 'y' }, { name: 'x' }] },
    ],
    [
      'an empty list replaces a list without a merge key and leaves other lists alone',
      { containers: [{ name: 'web', image: 'a' }], tolerations: [{ key: 'a' }] },
      { tolerations: [] },
      { containers: [{ name: 'web', image: 'a' }], tolerations: [] },
    ],
    [
      'ports merge by containerPort; a port that changes protocol is a new element',
      { containers: [{ name: 'web', ports: [{ containerPort: 80, name: 'http' }] }] },
      { containers: [{ name: 'web', ports: [{ containerPort: 53, protocol: 'UDP' }] }] },
      {
        containers: [
          {
            name: 'web',
            ports: [
              { containerPort: 53, protocol: 'UDP' },
              { containerPort: 80, name: 'http' },
            ],
          },
        ],
      },
    ],
  ])('%s', (_name, original, patch, expected) => {
    expect(run(original, patch).spec).toEqual(expected);
  });

  it('$patch: delete of an element that is not there changes nothing', () => {
    const out = run(
      { containers: [{ name: 'web', image: 'a' }] },
      { containers: [{ name: 'gone', $patch: 'delete' }] },
    );
    expect(out.spec).toEqual({ containers: [{ name: 'web', image: 'a' }] });
  });

  it('does not change its inputs', () => {
    const original = spec({ containers: [{ name: 'web', image: 'a' }] });
    const patch = { spec: { containers: [{ name: 'web', image: 'b' }] } };
    const before = JSON.stringify([original, patch]);
    applyStrategicMergePatch(original, patch, pod);
    expect(JSON.stringify([original, patch])).toBe(before);
  });

  it.each([
    ['an unknown $patch directive', { nodeSelector: { $patch: 'shuffle' } }],
    ['a merge-key element without its key', { containers: [{ image: 'x' }] }],
    ['$patch: merge on a list element', { containers: [{ name: 'web', $patch: 'merge' }] }],
    ['$retainKeys that leave out a patched key', { volumes: [{ name: 'v', $retainKeys: ['name'], emptyDir: {} }] }],
  ])('refuses %s with 400', (_name, patch) => {
    let code = 0;
    try {
      run({ containers: [{ name: 'web' }] }, patch);
    } catch (err) {
      code = isStatusError(err) ? err.code : -1;
    }
    expect(code).toBe(400);
  });
});
