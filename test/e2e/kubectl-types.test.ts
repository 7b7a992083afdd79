/**
 * Every served type, through four kubectl versions: create from manifests, get as tables and in each
 * output format, --all-namespaces, label, annotate, describe, delete. Each command names every type at
 * once (kubectl takes many TYPE/NAME arguments), so the matrix costs a dozen kubectl runs per version
 * instead of hundreds; each assertion lists the types that misbehaved. A type the server lists but the
 * table lacks fails the coverage test, so new types cannot slip in untested.
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
  // An IPAddress is named by its address and a ServiceCIDR overlaps the cluster's range: the one name every
  // case here shares fits neither.
  'ipaddresses.networking.k8s.io',
  'servicecidrs.networking.k8s.io',
]);

/** How kubectl names an object in its messages: `deployment.apps/x`, `pod/x`. */
const printedRef = (resource: string, kind: string, name: string) =>
  `${resource.includes('.') ? resource.replace(/^[^.]+/, kind.toLowerCase()) : kind.toLowerCase()}/${name}`;

describe.each(e2eVersions)('kubectl %s on every type', (version) => {
  const minor = Number(version.split('.')[1]);
  const ns = `types-${minor}`;
  const name = `e2e-${minor}`;
  // The namespace case creates a namespace of the same name as the others' objects; keep it apart.
  const cases = typeCases.map((t) => ({ ...t, printed: printedRef(t.resource, t.kind, name) }));
  const refs = cases.map((t) => `${t.resource}/${name}`);
  const namespaced = cases.filter((t) => t.isNamespaced);
  const k = (args: string[], input?: string) =>
    kubectl(version, args, { kubeconfig: wharf.kubeconfig, ...(input !== undefined ? { input } : {}) });
  const ok = async (args: string[], input?: string) => {
    const result = await k(args, input);
    expect(result.stderr, `kubectl ${args.join(' ')}`).not.toMatch(discoveryTrouble);
    expect(result.stderr, `kubectl ${args.join(' ')}`).toBe('');
    expect(result.code, `kubectl ${args.join(' ')}`).toBe(0);
    return result.stdout;
  };
  /** Types whose line is missing from the output: the assertion then names exactly those. */
  const missingFrom = (output: string, line: (t: (typeof cases)[number]) => RegExp) =>
    cases.filter((t) => !line(t).test(output)).map((t) => t.resource);
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

  beforeAll(async () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
    await ok(['create', '--validate=false', '-f', '-'], JSON.stringify(namespace));
  });

  it('has a case for every creatable, listable type the server lists', async () => {
    const listed = (await ok(['api-resources', '--verbs=create,list', '-o', 'name'])).trim().split('\n');
    const tested = new Set(typeCases.map((t) => t.resource));
    expect(listed.filter((r) => !tested.has(r) && !notListable.has(r) && !coveredElsewhere.has(r))).toEqual([]);
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

  it('creates one object of every type from a List', async () => {
    const list = { apiVersion: 'v1', kind: 'List', items: cases.map((t) => t.manifest(name, ns)) };
    // Validation against OpenAPI has its own test above; here each type's own paths are under test.
    const result = await k(['create', '--validate=false', '-f', '-'], JSON.stringify(list));
    expect(result.stderr).toBe('');
    expect(missingFrom(result.stdout, (t) => new RegExp(`^${escapeRegExp(t.printed)} created$`, 'm'))).toEqual([]);
  });

  it('gets every type as a table, -o wide and -o name', async () => {
    const table = await ok(['get', ...refs, '-n', ns]);
    expect(missingFrom(table, (t) => new RegExp(`^${escapeRegExp(t.printed)}\\s`, 'm'))).toEqual([]);
    expect(table).toMatch(/^NAME\s/m);
    const wide = await ok(['get', ...refs, '-n', ns, '-o', 'wide']);
    expect(missingFrom(wide, (t) => new RegExp(`^${escapeRegExp(t.printed)}\\s`, 'm'))).toEqual([]);
    const names = await ok(['get', ...refs, '-n', ns, '-o', 'name']);
    expect(names.trim().split('\n').sort()).toEqual(cases.map((t) => t.printed).sort());
  });

  it('gets every type as json, yaml, jsonpath and custom-columns', async () => {
    const json = JSON.parse(await ok(['get', ...refs, '-n', ns, '-o', 'json'])) as {
      items: { kind: string; metadata: { name: string } }[];
    };
    expect(json.items.map((i) => `${i.kind}/${i.metadata.name}`).sort()).toEqual(
      cases.map((t) => `${t.kind}/${name}`).sort(),
    );
    const yaml = await ok(['get', ...refs, '-n', ns, '-o', 'yaml']);
    expect(missingFrom(yaml, (t) => new RegExp(`^  kind: ${t.kind}$`, 'm'))).toEqual([]);
    const path = await ok([
      'get',
      ...refs,
      '-n',
      ns,
      '-o',
      'jsonpath={range .items[*]}{.kind}/{.metadata.name}{"\\n"}{end}',
    ]);
    expect(path.trim().split('\n').sort()).toEqual(cases.map((t) => `${t.kind}/${name}`).sort());
    const columns = await ok(['get', ...refs, '-n', ns, '-o', 'custom-columns=KIND:.kind,NAME:.metadata.name']);
    expect(missingFrom(columns, (t) => new RegExp(`^${t.kind}\\s+${name}$`, 'm'))).toEqual([]);
  });

  it('lists every namespaced type across all namespaces', async () => {
    const all = await ok(['get', namespaced.map((t) => t.resource).join(','), '--all-namespaces']);
    const missing = namespaced.filter((t) => !new RegExp(`^${ns}\\s+${escapeRegExp(t.printed)}\\s`, 'm').test(all));
    expect(missing.map((t) => t.resource)).toEqual([]);
  });

  it('labels, annotates and describes every type', async () => {
    const labeled = await ok(['label', ...refs, '-n', ns, 'checked=yes']);
    expect(missingFrom(labeled, (t) => new RegExp(`^${escapeRegExp(t.printed)} labeled$`, 'm'))).toEqual([]);
    const selected = await ok([
      'get',
      cases.map((t) => t.resource).join(','),
      '-n',
      ns,
      '-l',
      'checked=yes',
      '-o',
      'name',
    ]);
    expect(missingFrom(selected, (t) => new RegExp(`^${escapeRegExp(t.printed)}$`, 'm'))).toEqual([]);
    // kubectl 1.27 itself prints "annotate" (fixed in 1.28).
    const annotated = await ok(['annotate', ...refs, '-n', ns, 'note=e2e']);
    expect(missingFrom(annotated, (t) => new RegExp(`^${escapeRegExp(t.printed)} annotated?$`, 'm'))).toEqual([]);
    const described = await ok(['describe', ...refs, '-n', ns]);
    expect(described.match(new RegExp(`^Name:\\s+${name}$`, 'gm'))?.length).toBe(cases.length);
  });

  it('deletes every type', async () => {
    // Cluster-scoped objects are deleted without -n: kubectl warns when a namespace is given for them.
    const refsOf = (list: typeof cases) => list.map((t) => `${t.resource}/${name}`);
    const deleted =
      (await ok(['delete', ...refsOf(namespaced), '-n', ns, '--wait=false'])) +
      (await ok(['delete', ...refsOf(cases.filter((t) => !t.isNamespaced)), '--wait=false']));
    const kindPart = (t: (typeof cases)[number]) => escapeRegExp(t.printed.split('/')[0] ?? '');
    expect(missingFrom(deleted, (t) => new RegExp(`^${kindPart(t)} "${name}" deleted`, 'm'))).toEqual([]);
  });
});
