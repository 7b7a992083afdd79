import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { isStatusError } from '../../status.ts';
import { decodeKubernetesProtobuf, isProtobufContentType } from './decode-kubernetes-protobuf.ts';
import type { FixtureEntry } from './testdata/capture-fixtures.ts';

const testdata = join(dirname(fileURLToPath(import.meta.url)), 'testdata');
const readEntries = (): FixtureEntry[] => JSON.parse(readFileSync(join(testdata, 'fixtures.json'), 'utf8'));
const body = (name: string) => new Uint8Array(readFileSync(join(testdata, `${name}.pb`)));

// UPDATE_FIXTURES=1 re-records every body from the real kubectl 1.32, kubectl 1.35 and helm 4 binaries.
beforeAll(async () => {
  if (process.env.UPDATE_FIXTURES !== '1') return;
  const { captureFixtures } = await import('./testdata/capture-fixtures.ts');
  await captureFixtures(testdata);
}, 300_000);

/**
 * kubectl ≤ 1.34 prints `creationTimestamp: null` for the zero Time; since 1.35 the field is omitzero and
 * absent. Both mean "unset", so the comparison ignores that one difference.
 */
function withoutNullTimestamps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullTimestamps);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'creationTimestamp' && v === null) continue;
    out[k] = withoutNullTimestamps(v);
  }
  return out;
}

describe('protobuf bodies captured from kubectl and helm', () => {
  const entries = readEntries();

  it('covers every typed command of kubectl 1.32 and 1.35 and helm 4 release storage', () => {
    const tools = new Set(entries.map((e) => e.tool));
    expect([...tools].sort()).toEqual(['helm 4', 'kubectl 1.32', 'kubectl 1.35']);
    const commands = (tool: string) =>
      entries.filter((e) => e.tool === tool).map((e) => e.name.replace(`kubectl-${tool.split(' ')[1]}-`, ''));
    for (const tool of ['kubectl 1.32', 'kubectl 1.35']) {
      expect(commands(tool).sort()).toEqual([
        'auth-can-i',
        'auth-can-i-list',
        'auth-whoami',
        'create-clusterrole',
        'create-clusterrolebinding',
        'create-configmap',
        'create-cronjob',
        'create-deployment',
        'create-ingress',
        'create-job',
        'create-job-from-cronjob',
        'create-namespace',
        'create-pdb',
        'create-priorityclass',
        'create-quota',
        'create-role',
        'create-rolebinding',
        'create-secret',
        'create-secret-docker-registry',
        'create-secret-tls',
        'create-service',
        'create-service-externalname',
        'create-service-loadbalancer',
        'create-service-nodeport',
        'create-serviceaccount',
        'create-token',
      ]);
    }
    expect(entries.filter((e) => e.hasJson).length).toBe(44);
  });

  for (const entry of readEntries().filter((e) => e.hasJson)) {
    it(`${entry.name}: decodes to the JSON kubectl prints for the same object`, () => {
      const decoded = decodeKubernetesProtobuf(body(entry.name));
      const expected = JSON.parse(readFileSync(join(testdata, `${entry.name}.json`), 'utf8'));
      expect(withoutNullTimestamps(decoded.object)).toEqual(withoutNullTimestamps(expected));
      expect(decoded.kind).toBe(expected.kind);
      expect(decoded.apiVersion).toBe(expected.apiVersion);
    });
  }

  it('keeps zeros of pointer fields (spec.replicas: 0, minAvailable: 0)', () => {
    const deployment = decodeKubernetesProtobuf(body('kubectl-1.35-create-deployment')).object as {
      spec: { replicas?: number; template: { spec: { containers: unknown[] } } };
    };
    expect(deployment.spec.replicas).toBe(0);
    expect(deployment.spec.template.spec.containers).toHaveLength(3);
    const pdb = decodeKubernetesProtobuf(body('kubectl-1.35-create-pdb')).object as {
      spec: { minAvailable?: unknown };
    };
    expect(pdb.spec.minAvailable).toBe(0);
  });

  it('decodes the review and token requests of auth and create token', () => {
    const review = decodeKubernetesProtobuf(body('kubectl-1.35-auth-can-i'));
    expect(review).toMatchObject({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      object: { spec: { resourceAttributes: { verb: 'create', resource: 'pods', subresource: 'log' } } },
    });
    expect(decodeKubernetesProtobuf(body('kubectl-1.32-auth-can-i-list')).object).toMatchObject({
      kind: 'SelfSubjectRulesReview',
      spec: { namespace: 'default' },
    });
    expect(decodeKubernetesProtobuf(body('kubectl-1.35-auth-whoami')).kind).toBe('SelfSubjectReview');
    expect(decodeKubernetesProtobuf(body('kubectl-1.35-create-token')).object).toMatchObject({
      kind: 'TokenRequest',
      spec: { audiences: ['api'], expirationSeconds: 600 },
    });
  });

  it('decodes helm release Secrets with their binary data and the DeleteOptions of uninstall', () => {
    const helmEntries = entries.filter((e) => e.tool === 'helm 4');
    const secrets = helmEntries.filter((e) => e.method !== 'DELETE');
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    for (const entry of secrets) {
      const secret = decodeKubernetesProtobuf(body(entry.name)).object as {
        kind: string;
        type: string;
        metadata: { name: string; labels: Record<string, string> };
        data: { release: string };
      };
      expect(secret).toMatchObject({ kind: 'Secret', type: 'helm.sh/release.v1' });
      expect(secret.metadata.labels).toMatchObject({ owner: 'helm', name: 'tiny' });
      // data is base64 of helm's base64 of a gzip of the release JSON
      const record = gunzipSync(Buffer.from(Buffer.from(secret.data.release, 'base64').toString(), 'base64'));
      expect(JSON.parse(record.toString())).toMatchObject({ name: 'tiny', namespace: 'default' });
    }
    const deletion = helmEntries.find((e) => e.method === 'DELETE');
    expect(deletion && decodeKubernetesProtobuf(body(deletion.name))).toEqual({
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      object: { apiVersion: 'v1', kind: 'DeleteOptions' },
    });
  });
});

describe('malformed protobuf bodies', () => {
  const badRequestMessage = (bytes: Uint8Array): string => {
    try {
      decodeKubernetesProtobuf(bytes);
    } catch (err) {
      if (isStatusError(err) && err.code === 400) return err.message;
      throw err;
    }
    throw new Error('decoded without error');
  };

  it('rejects a body without the k8s magic, as apiserver does', () => {
    expect(badRequestMessage(new TextEncoder().encode('{"kind":"Pod"}'))).toBe(
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
    expect(badRequestMessage(new Uint8Array(0))).toBe('empty body');
  });

  it('rejects every truncation of a real body with a 400, never another error', () => {
    const full = body('kubectl-1.35-create-deployment');
    for (let length = 4; length < full.length; length++) {
      const truncated = full.subarray(0, length);
      try {
        decodeKubernetesProtobuf(truncated);
      } catch (err) {
        expect(isStatusError(err) && err.code).toBe(400);
      }
    }
  });

  it('rejects an unknown kind', () => {
    // k8s\0, typeMeta {apiVersion "v1", kind "Nope"}
    const bytes = new Uint8Array([
      0x6b, 0x38, 0x73, 0, 0x0a, 0x0a, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x04, 0x4e, 0x6f, 0x70, 0x65,
    ]);
    expect(badRequestMessage(bytes)).toBe('no kind "Nope" is registered for version "v1" in protobuf');
  });
});

describe('isProtobufContentType', () => {
  it('matches the Kubernetes protobuf media type with or without parameters', () => {
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf')).toBe(true);
    expect(isProtobufContentType('Application/VND.kubernetes.protobuf; charset=binary')).toBe(true);
    expect(isProtobufContentType('application/json')).toBe(false);
    expect(isProtobufContentType(undefined)).toBe(false);
  });
});
