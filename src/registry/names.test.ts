import { describe, expect, it } from 'vitest';
import { generateName, validateName } from './names.ts';
import { admin, newTestRegistry, statusOf } from './testing/test-registry.ts';

describe('validateName', () => {
  it.each([
    ['web-1', 'subdomain', 0],
    ['a.b.c', 'subdomain', 0],
    ['Web', 'subdomain', 1],
    ['a.b', 'label', 1],
    ['1abc', 'dns1035', 1],
    ['abc', 'dns1035', 0],
    ['system:admin', 'path', 0],
    ['a/b', 'path', 1],
    ['..', 'path', 1],
    ['x'.repeat(64), 'label', 1],
  ] as const)('%s as %s has %d problems', (name, rule, count) => {
    expect(validateName(name, rule)).toHaveLength(count);
  });

  it('says a name is required when neither name nor generateName is given', () => {
    expect(validateName(undefined)).toEqual([
      { type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' },
    ]);
  });
});

describe('name validation on create', () => {
  it("answers 422 with Kubernetes' subdomain message", async () => {
    const t = await newTestRegistry();
    const s = await statusOf(t.create('configmaps', { metadata: { name: 'Bad_Name' } }));
    expect(s.code).toBe(422);
    expect(s.message).toBe(
      `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
  });

  it('uses DNS-1035 for services and labels for namespaces', async () => {
    const t = await newTestRegistry();
    expect(
      (await statusOf(t.create('services', { metadata: { name: '1svc' }, spec: { ports: [{ port: 80 }] } }))).message,
    ).toContain('DNS-1035 label');
    expect((await statusOf(t.create('namespaces', { metadata: { name: 'a.b' } }))).message).toContain('RFC 1123 label');
  });
});

describe('generateName', () => {
  it('appends 5 characters without vowels and truncates the prefix to 58', () => {
    const name = generateName('x'.repeat(70));
    expect(name).toHaveLength(63);
    expect(name.slice(58)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('retries on collision instead of answering 409', async () => {
    // The first two draws produce the same suffix, the third a different one.
    const draws = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5, 0.5];
    let i = 0;
    const t = await newTestRegistry({ random: () => draws[i++ % draws.length] ?? 0, seed: false });
    await t.create('namespaces', { metadata: { name: 'default' } });
    const def = t.def('configmaps');
    const a = await t.registry.create(def, 'default', { metadata: { generateName: 'web-' } }, admin);
    const b = await t.registry.create(def, 'default', { metadata: { generateName: 'web-' } }, admin);
    expect(a.object.metadata.name).toBe('web-bbbbb');
    expect(b.object.metadata.name).not.toBe('web-bbbbb');
    expect(b.object.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
