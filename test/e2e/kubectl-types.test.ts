/**
 * Every served type, through four kubectl versions: create from a manifest, get as a table and in
 * each output format, label, annotate, describe, delete. A type the server lists but this table lacks
 * fails the coverage test, so new types cannot slip in untested.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import { typeCases } from './manifests.ts';
import { discoveryTrouble, e2eVersions } from './versions.ts';

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf();
});
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

/** Creatable resources that are requests or reviews, not stored objects kubectl can list. */
const notListable = new Set([
  'bindings',
  'tokenreviews.authentication.k8s.io',
  'selfsubjectreviews.authentication.k8s.io',
  'localsubjectaccessreviews.authorization.k8s.io',
  'selfsubjectaccessreviews.authorization.k8s.io',
  'selfsubjectrulesreviews.authorization.k8s.io',
  'subjectaccessreviews.authorization.k8s.io',
]);
/** Covered by their own tests (nodes need the simulated kubelet, CRDs and webhooks need more setup). */
const coveredElsewhere = new Set([
  'nodes',
  'events',
  'events.events.k8s.io',
  'componentstatuses',
  'controllerrevisions.apps',
  'customresourcedefinitions.apiextensions.k8s.io',
  'mutatingwebhookconfigurations.admissionregistration.k8s.io',
  'validatingwebhookconfigurations.admissionregistration.k8s.io',
  'validatingadmissionpolicies.admissionregistration.k8s.io',
  'validatingadmissionpolicybindings.admissionregistration.k8s.io',
  'apiservices.apiregistration.k8s.io',
  'certificatesigningrequests.certificates.k8s.io',
  'csidrivers.storage.k8s.io',
  'csinodes.storage.k8s.io',
  'csistoragecapacities.storage.k8s.io',
  'volumeattachments.storage.k8s.io',
  'flowschemas.flowcontrol.apiserver.k8s.io',
  'prioritylevelconfigurations.flowcontrol.apiserver.k8s.io',
]);

describe.each(e2eVersions)('kubectl %s on every type', (version) => {
  const minor = Number(version.split('.')[1]);
  const ns = `types-${minor}`;
  const k = (args: string[], input?: string) =>
    kubectl(version, args, { kubeconfig: wharf.kubeconfig, ...(input !== undefined ? { input } : {}) });
  const ok = async (args: string[], input?: string) => {
    const result = await k(args, input);
    expect(result.stderr, `kubectl ${args.join(' ')}`).not.toMatch(discoveryTrouble);
    expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
    await ok(['create', '--validate=false', '-f', '-'], JSON.stringify(namespace));
  });

  it('create -f validates against the served OpenAPI', async () => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'validated', namespace: ns },
      data: { a: 'b' },
    };
    expect(await ok(['create', '-f', '-'], JSON.stringify(manifest))).toBe('configmap/validated created\n');
    const unknownField = { ...manifest, metadata: { name: 'rejected', namespace: ns }, bogus: 1 };
    const rejected = await k(['create', '-f', '-'], JSON.stringify(unknownField));
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/unknown field "bogus"/);
  });

  it('has a case for every creatable, listable type the server lists', async () => {
    const listed = (await ok(['api-resources', '--verbs=create,list', '-o', 'name'])).trim().split('\n');
    const tested = new Set(typeCases.map((t) => t.resource));
    const untested = listed.filter((r) => !tested.has(r) && !notListable.has(r) && !coveredElsewhere.has(r));
    expect(untested).toEqual([]);
  });

  it.each(typeCases)('$resource: create, get in every format, label, annotate, describe, delete', async (type) => {
    const name = `e2e-${minor}`;
    const scope = type.isNamespaced ? ['-n', ns] : [];
    const ref = `${type.resource}/${name}`;
    const expectedRef = `${type.resource.includes('.') ? type.resource.replace(/^[^.]+/, type.kind.toLowerCase()) : type.kind.toLowerCase()}/${name}`;

    // Validation against OpenAPI has its own test above; here each type's own paths are under test.
    const created = await ok(
      ['create', '--validate=false', '-f', '-', ...scope],
      JSON.stringify(type.manifest(name, ns)),
    );
    expect(created).toBe(`${expectedRef} created\n`);
    const table = await ok(['get', type.resource, name, ...scope]);
    expect(table).toMatch(new RegExp(`^NAME\\s+.*\\n${name}\\s`));
    expect(await ok(['get', type.resource, name, ...scope, '-o', 'wide'])).toMatch(new RegExp(`\\n${name}\\s`));
    expect(await ok(['get', ref, ...scope, '-o', 'name'])).toBe(`${expectedRef}\n`);
    const json = JSON.parse(await ok(['get', ref, ...scope, '-o', 'json'])) as {
      kind: string;
      metadata: { name: string };
    };
    expect(json).toMatchObject({ kind: type.kind, metadata: { name } });
    expect(await ok(['get', ref, ...scope, '-o', 'yaml'])).toMatch(new RegExp(`\\nkind: ${type.kind}\\n`));
    expect(await ok(['get', ref, ...scope, '-o', 'jsonpath={.kind}/{.metadata.name}'])).toBe(`${type.kind}/${name}`);
    expect(await ok(['get', type.resource, ...scope, '-o', 'custom-columns=N:.metadata.name', '--no-headers'])).toMatch(
      new RegExp(`^${name}$`, 'm'),
    );
    if (type.isNamespaced)
      expect(await ok(['get', type.resource, '-A'])).toMatch(new RegExp(`^${ns}\\s+${name}\\s`, 'm'));
    expect(await ok(['label', ref, ...scope, 'checked=yes'])).toBe(`${expectedRef} labeled\n`);
    // kubectl 1.27 itself prints "annotate" (fixed in 1.28).
    expect(await ok(['annotate', ref, ...scope, 'note=e2e'])).toMatch(
      new RegExp(`^${expectedRef.replace(/\./g, '\\.')} annotated?\n$`),
    );
    expect(await ok(['describe', ref, ...scope])).toMatch(new RegExp(`^Name:\\s+${name}$`, 'm'));
    expect(await ok(['delete', ref, ...scope, '--wait=false'])).toMatch(
      new RegExp(`^${type.kind.toLowerCase()}[.a-z0-9]* "${name}" deleted`),
    );
  });
});
