/**
 * test/e2e/auth: certificates.go (CSR API), subjectreviews.go (access reviews against an impersonated
 * ServiceAccount) and service_accounts.go (opting out of token automount).
 */
import { type ResourceRef, resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import assert from '../../helpers/assert.ts';
import { e2eCertificatePem, e2eCsrPem } from '../../helpers/certificates.ts';
import { expectNotFound } from '../../helpers/expect-status.ts';
import { object, pauseImage, pod } from '../../helpers/objects.ts';
import { openWatch } from '../../helpers/watch.ts';
import { statusOf } from '../../helpers/workloads.ts';
import { conformanceTest } from '../../suite.ts';

const csrs: ResourceRef = {
  group: 'certificates.k8s.io',
  version: 'v1',
  kind: 'CertificateSigningRequest',
  plural: 'certificatesigningrequests',
  namespaced: false,
};
type Condition = { type: string };
const conditionsOf = (o: KubeObject) => (statusOf(o).conditions ?? []) as Condition[];
const base64 = (text: string) => Buffer.from(text).toString('base64');
const tokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

export const authTests = [
  conformanceTest({
    codename: '[sig-auth] Certificates API [Privileged:ClusterAdmin] should support CSR API operations [Conformance]',
    area: 'auth',
    needs: ['crud', 'discovery', 'watch', 'patch', 'status-subresource', 'deletecollection'],
    async run(ctx) {
      const groups = await ctx.api.getJson<{ groups: Array<{ name: string; versions: Array<{ version: string }> }> }>(
        '/apis',
      );
      assert.ok(
        groups.groups.some((g) => g.name === 'certificates.k8s.io' && g.versions.some((v) => v.version === 'v1')),
        '/apis lists certificates.k8s.io/v1',
      );
      const group = await ctx.api.getJson<{ versions: Array<{ version: string }> }>('/apis/certificates.k8s.io');
      assert.ok(
        group.versions.some((v) => v.version === 'v1'),
        '/apis/certificates.k8s.io lists v1',
      );
      const list = await ctx.api.getJson<{ resources: Array<{ name: string }> }>('/apis/certificates.k8s.io/v1');
      for (const name of [
        'certificatesigningrequests',
        'certificatesigningrequests/approval',
        'certificatesigningrequests/status',
      ])
        assert.ok(
          list.resources.some((r) => r.name === name),
          `/apis/certificates.k8s.io/v1 lists ${name}`,
        );

      const client = ctx.client.resource(csrs);
      const signerName = `example.com/e2e-${ctx.namespace}`;
      const bySigner = { fieldSelector: `spec.signerName=${signerName}` };
      ctx.defer(() => client.deleteCollection(bySigner));
      const template: KubeObject = {
        apiVersion: 'certificates.k8s.io/v1',
        kind: 'CertificateSigningRequest',
        metadata: { generateName: 'e2e-example-csr-' },
        spec: {
          request: base64(e2eCsrPem),
          signerName,
          expirationSeconds: 3600,
          usages: ['digital signature', 'key encipherment', 'server auth'],
        },
      };
      await client.create(template);
      await client.create(template);
      const created = await client.create(template);
      const name = created.metadata.name ?? '';
      const gotten = await client.get(name);
      assert.equal(gotten.metadata.uid, created.metadata.uid);
      assert.equal((gotten.spec as { expirationSeconds?: number }).expirationSeconds, 3600);
      const listed = await client.list(bySigner);
      assert.equal(listed.items.length, 3, 'the list by signerName finds the three requests');

      const watch = await openWatch(
        client,
        { fieldSelector: `metadata.name=${name}`, resourceVersion: listed.metadata.resourceVersion },
        ctx.signal,
      );
      ctx.defer(async () => watch.close());
      const patched = await client.patch(name, undefined, 'merge', { metadata: { annotations: { patched: 'true' } } });
      assert.equal(patched.metadata.annotations?.patched, 'true');
      const updated = await client.update({
        ...patched,
        metadata: { ...patched.metadata, annotations: { ...patched.metadata.annotations, updated: 'true' } },
      });
      assert.equal(updated.metadata.annotations?.updated, 'true');
      const seen = await watch.next(
        (e) => e.object.metadata.annotations?.patched === 'true',
        'patched CSR on the watch',
      );
      assert.equal(seen.type, 'MODIFIED');

      const approval = await ctx.api.getJson<KubeObject>(
        `/apis/certificates.k8s.io/v1/certificatesigningrequests/${name}/approval`,
      );
      assert.equal(approval.kind, 'CertificateSigningRequest');
      assert.equal(approval.metadata.uid, created.metadata.uid);
      const patchedApproval = await client.patch(
        name,
        undefined,
        'merge',
        {
          metadata: { annotations: { patchedapproval: 'true' } },
          status: { conditions: [{ type: 'ApprovalPatch', status: 'True', reason: 'e2e' }] },
        },
        { subresource: 'approval' },
      );
      assert.deepEqual(
        conditionsOf(patchedApproval).map((c) => c.type),
        ['ApprovalPatch'],
      );
      assert.equal(patchedApproval.metadata.annotations?.patchedapproval, 'true');
      const toApprove = structuredClone(patchedApproval);
      statusOf(toApprove).conditions = [
        ...conditionsOf(toApprove),
        { type: 'Approved', status: 'True', reason: 'E2E', message: 'Set from an e2e test' },
      ];
      const approved = await client.updateSubresource(toApprove, 'approval');
      assert.deepEqual(
        conditionsOf(approved).map((c) => c.type),
        ['ApprovalPatch', 'Approved'],
      );

      const status = await ctx.api.getJson<KubeObject>(
        `/apis/certificates.k8s.io/v1/certificatesigningrequests/${name}/status`,
      );
      assert.equal(status.kind, 'CertificateSigningRequest');
      assert.equal(status.metadata.uid, created.metadata.uid);
      const certificate = base64(e2eCertificatePem);
      const patchedStatus = await client.patch(
        name,
        undefined,
        'merge',
        { metadata: { annotations: { patchedstatus: 'true' } }, status: { certificate } },
        { subresource: 'status' },
      );
      assert.equal((statusOf(patchedStatus) as { certificate?: string }).certificate, certificate);
      assert.equal(patchedStatus.metadata.annotations?.patchedstatus, 'true');
      const toUpdate = structuredClone(patchedStatus);
      statusOf(toUpdate).conditions = [
        ...conditionsOf(toUpdate),
        { type: 'StatusUpdate', status: 'True', reason: 'E2E', message: 'Set from an e2e test' },
      ];
      const statusUpdated = await client.updateStatus(toUpdate);
      assert.equal(conditionsOf(statusUpdated).length, conditionsOf(toUpdate).length);
      assert.equal(conditionsOf(statusUpdated).at(-1)?.type, 'StatusUpdate');

      await client.delete(name);
      await expectNotFound(client.get(name));
      assert.equal((await client.list(bySigner)).items.length, 2, 'two requests left after the delete');
      await client.deleteCollection(bySigner);
      assert.equal((await client.list(bySigner)).items.length, 0, 'none left after deletecollection');
    },
  }),
  conformanceTest({
    codename: '[sig-auth] SubjectReview should support SubjectReview API operations [Conformance]',
    area: 'auth',
    needs: ['authz'],
    async run(ctx) {
      const ns = ctx.namespace;
      const sa = await ctx.client
        .resource(resources.serviceAccounts)
        .create(object('v1', 'ServiceAccount', 'e2e', { namespace: ns }, {}));
      const user = `system:serviceaccount:${ns}:e2e`;
      const groups = ['system:authenticated', 'system:serviceaccounts', `system:serviceaccounts:${ns}`];
      const uid = sa.metadata.uid ?? '';
      const spec = (u: string) => ({
        resourceAttributes: { verb: 'list', resource: 'configmaps', namespace: ns, version: 'v1' },
        user: u,
        groups,
        uid,
      });
      const review = async (path: string, kind: string, body: Record<string, unknown>) => {
        const response = await ctx.api.request({
          method: 'POST',
          path,
          body: { apiVersion: 'authorization.k8s.io/v1', kind, ...body },
        });
        assert.equal(response.status, 201, `${kind}: ${response.text.slice(0, 300)}`);
        return (response.json<{ status?: { allowed?: boolean } }>().status?.allowed ?? false) === true;
      };
      const sarAllowed = await review('/apis/authorization.k8s.io/v1/subjectaccessreviews', 'SubjectAccessReview', {
        spec: spec(user),
      });
      // As the ServiceAccount (the server adds its groups to an impersonated ServiceAccount user).
      const asServiceAccount = await ctx.api.request({
        path: `/api/v1/namespaces/${ns}/configmaps`,
        headers: { 'Impersonate-User': user, 'Impersonate-Uid': uid },
      });
      assert.ok(
        asServiceAccount.status === 200 || asServiceAccount.status === 403,
        `list as the ServiceAccount answers 200 or 403, got ${asServiceAccount.status}: ${asServiceAccount.text.slice(0, 200)}`,
      );
      const actuallyAllowed = asServiceAccount.status === 200;
      assert.equal(
        sarAllowed,
        actuallyAllowed,
        'the SubjectAccessReview verdict matches what the ServiceAccount can do',
      );
      const lsarAllowed = await review(
        `/apis/authorization.k8s.io/v1/namespaces/${ns}/localsubjectaccessreviews`,
        'LocalSubjectAccessReview',
        { metadata: { namespace: ns }, spec: spec('e2e') },
      );
      assert.equal(lsarAllowed, actuallyAllowed, 'the LocalSubjectAccessReview verdict matches too');
    },
  }),
  conformanceTest({
    codename: '[sig-auth] ServiceAccounts should allow opting out of API token automount [Conformance]',
    area: 'auth',
    needs: ['service-accounts'],
    async run(ctx) {
      const ns = ctx.namespace;
      const serviceAccounts = ctx.client.resource(resources.serviceAccounts);
      await eventually(() => serviceAccounts.get('default', ns), {
        what: 'default ServiceAccount',
        signal: ctx.signal,
      });
      await serviceAccounts.create(
        object('v1', 'ServiceAccount', 'mount', { namespace: ns }, { automountServiceAccountToken: true }),
      );
      await serviceAccounts.create(
        object('v1', 'ServiceAccount', 'nomount', { namespace: ns }, { automountServiceAccountToken: false }),
      );
      const cases: Array<[string, boolean | undefined, boolean]> = [
        ['default', undefined, true],
        ['mount', undefined, true],
        ['nomount', undefined, false],
        // The pod's own setting wins over the ServiceAccount's.
        ['default', true, true],
        ['mount', true, true],
        ['nomount', true, true],
        ['default', false, false],
        ['mount', false, false],
        ['nomount', false, false],
      ];
      const pods = ctx.client.resource(resources.pods);
      for (const [serviceAccountName, automount, expectToken] of cases) {
        const suffix = automount === undefined ? '' : automount ? '-mountspec' : '-nomountspec';
        const name = `pod-service-account-${serviceAccountName}sa${suffix}`;
        const created = await pods.create(
          pod(name, {
            namespace: ns,
            spec: {
              serviceAccountName,
              ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
              terminationGracePeriodSeconds: 0,
              containers: [{ name: 'token-test', image: pauseImage }],
            },
          }),
        );
        const mounts =
          (created.spec as { containers: Array<{ volumeMounts?: Array<{ mountPath: string }> }> }).containers[0]
            ?.volumeMounts ?? [];
        const hasToken = mounts.some((m) => m.mountPath === tokenMountPath);
        assert.equal(hasToken, expectToken, `${name}: token volume mounted is ${hasToken}, want ${expectToken}`);
      }
    },
  }),
];
