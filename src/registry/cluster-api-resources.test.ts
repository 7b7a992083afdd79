import { describe, expect, it } from 'vitest';
import { getCatalog } from '../openapi/catalog.ts';
import type { KubeObject } from '../types/meta.ts';
import { clusterApiResources } from './cluster-api-resources.ts';
import { admin, newTestRegistry } from './testing/test-registry.ts';

const bodies: Record<string, Record<string, unknown>> = {
  flowschemas: { spec: { matchingPrecedence: 100, priorityLevelConfiguration: { name: 'global-default' } } },
  prioritylevelconfigurations: { spec: { type: 'Limited', limited: { nominalConcurrencyShares: 2 } } },
  validatingadmissionpolicies: { spec: { validations: [{ expression: 'true' }] } },
  validatingadmissionpolicybindings: { spec: { policyName: 'p', validationActions: ['Deny'] } },
  csidrivers: { spec: {} },
  csinodes: { spec: { drivers: [] } },
  csistoragecapacities: { storageClassName: 'sc', capacity: '1Gi' },
  volumeattachments: { spec: { attacher: 'csi.example.com', nodeName: 'n', source: { persistentVolumeName: 'pv' } } },
  certificatesigningrequests: {
    spec: { request: 'cmVx', signerName: 'example.com/signer', usages: ['digital signature'] },
  },
  ipaddresses: { spec: { parentRef: { resource: 'services', namespace: 'default', name: 'kubernetes' } } },
  servicecidrs: { spec: { cidrs: ['10.96.0.0/16'] } },
};

describe('cluster API resources', () => {
  it('every kind has an OpenAPI schema, a printer and a test body', () => {
    const catalog = getCatalog();
    for (const def of clusterApiResources) {
      expect(catalog.definitionForKind(def.group, def.version, def.kind), def.kind).toBeDefined();
      expect(def.printer, def.kind).toBeDefined();
      expect(bodies[def.plural], def.plural).toBeDefined();
    }
  });

  it.each(clusterApiResources.map((def) => [def.plural, def] as const))(
    '%s: create, get, list, print',
    async (_, def) => {
      const t = await newTestRegistry();
      const namespace = def.namespaced ? 'default' : undefined;
      const created = await t.registry.create(
        def,
        namespace,
        { metadata: { name: 'x' }, ...bodies[def.plural] },
        admin,
      );
      expect(created.created).toBe(true);
      const read = (await t.registry.get(def, namespace, 'x', {}, admin)) as KubeObject;
      expect(read.kind).toBe(def.kind);
      expect((await t.registry.list(def, namespace, {}, admin)).items).toHaveLength(1);
      expect(def.printer?.row(read, t.clock.now)).toHaveLength(def.printer?.columns.length ?? -1);
    },
  );

  it('a certificate signing request names its requester from the request, not the body', async () => {
    const t = await newTestRegistry();
    const def = t.def('certificatesigningrequests', 'certificates.k8s.io');
    const body = {
      metadata: { name: 'csr' },
      spec: { ...(bodies.certificatesigningrequests?.spec as object), username: 'mallory' },
    };
    const { object } = await t.registry.create(def, undefined, body, admin);
    expect(object.spec).toMatchObject({ username: 'admin', groups: ['system:masters', 'system:authenticated'] });
  });

  it('CSIDriver gets kube defaults', async () => {
    const t = await newTestRegistry();
    const { object } = await t.registry.create(
      t.def('csidrivers', 'storage.k8s.io'),
      undefined,
      { metadata: { name: 'd' }, spec: {} },
      admin,
    );
    expect(object.spec).toMatchObject({
      attachRequired: true,
      podInfoOnMount: false,
      volumeLifecycleModes: ['Persistent'],
    });
  });
});
