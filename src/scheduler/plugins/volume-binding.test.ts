import { describe, expect, it } from 'vitest';
import { bindingPointsOf, preBindAndBind, reserveAndPermit, unreserve } from '../binding-cycle.ts';
import { newCycleContext, type ScheduleResult, scheduleOne } from '../schedule-one.ts';
import { node, pod, snapshot } from '../testing/builders.ts';
import type { Node, Pod } from '../types.ts';
import { defaultProfile } from './index.ts';
import { create, type VolumeAccess } from './volume-binding.ts';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from './volume-matching.ts';

const notHelpful = (n: number) =>
  `preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;

function claim(
  name: string,
  o: { className?: string; size?: string; volumeName?: string; extra?: Partial<PersistentVolumeClaim> } = {},
) {
  const c: PersistentVolumeClaim = {
    metadata: { name, namespace: 'default', uid: `claim-${name}`, resourceVersion: '1' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: o.size ?? '1Gi' } } },
    status: { phase: o.volumeName ? 'Bound' : 'Pending' },
    ...o.extra,
  };
  if (o.className !== undefined) (c.spec as NonNullable<PersistentVolumeClaim['spec']>).storageClassName = o.className;
  if (o.volumeName) (c.spec as NonNullable<PersistentVolumeClaim['spec']>).volumeName = o.volumeName;
  return c;
}

/** Node affinity to the node with this hostname. */
const onHost = (hostname: string) => ({
  required: {
    nodeSelectorTerms: [
      { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In' as const, values: [hostname] }] },
    ],
  },
});

function volume(
  name: string,
  o: { className?: string; size?: string; host?: string; spec?: PersistentVolume['spec'] } = {},
) {
  const v: PersistentVolume = {
    metadata: { name, resourceVersion: '1' },
    spec: {
      storageClassName: o.className ?? 'local',
      capacity: { storage: o.size ?? '1Gi' },
      accessModes: ['ReadWriteOnce'],
      volumeMode: 'Filesystem',
      ...o.spec,
    },
    status: { phase: 'Available' },
  };
  if (o.host) (v.spec as NonNullable<PersistentVolume['spec']>).nodeAffinity = onHost(o.host);
  return v;
}

const storageClass = (name: string, mode: string, provisioner = 'kubernetes.io/no-provisioner'): StorageClass => ({
  metadata: { name },
  provisioner,
  volumeBindingMode: mode,
});
const localClass = storageClass('local', 'WaitForFirstConsumer');

/** An in-memory VolumeAccess recording the writes PreBind asks for. */
function storage(o: { claims?: PersistentVolumeClaim[]; volumes?: PersistentVolume[]; classes?: StorageClass[] }) {
  const bound: string[] = [];
  const selected: string[] = [];
  const reads = { claims: 0 };
  const access: VolumeAccess = {
    claim: (namespace, name) => {
      reads.claims++;
      return o.claims?.find((c) => c.metadata.namespace === namespace && c.metadata.name === name);
    },
    volume: (name) => o.volumes?.find((v) => v.metadata.name === name),
    volumes: () => o.volumes ?? [],
    storageClass: (name) => o.classes?.find((c) => c.metadata.name === name),
    bind: async (v, c) => {
      bound.push(`${v.metadata.name}<-${c.metadata.name}`);
    },
    selectNode: async (c, nodeName) => {
      selected.push(`${c.metadata.name}@${nodeName}`);
    },
  };
  return { access, bound, selected, reads };
}

const withClaims = (...claimNames: string[]) =>
  pod({ volumes: claimNames.map((claimName, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName } })) });

const hosts = (...names: string[]): Node[] =>
  names.map((name) => node({ name, labels: { 'kubernetes.io/hostname': name } }));

/** One scheduling cycle and, when a node was found, Reserve, Permit, PreBind (Bind left to a no-op default). */
async function cycle(access: VolumeAccess, nodes: Node[], p: Pod, snap = snapshot(nodes)) {
  const profile = defaultProfile('default-scheduler', { volumes: access });
  const result = scheduleOne(profile, snap, p, { nextStartIndex: 0 });
  if (result.kind !== 'scheduled') return { result, profile };
  const points = bindingPointsOf(profile);
  const refused = reserveAndPermit(points, result.context, p, result.node);
  if (refused) return { result, profile, refused };
  const stopped = await preBindAndBind(points, result.context, p, result.node, async () => {});
  return { result, profile, stopped };
}

const messageOf = (result: ScheduleResult) => (result.kind === 'unschedulable' ? result.message : result.kind);

describe('VolumeBinding PreFilter', () => {
  it('skips pods without claims, so its filter never runs and no claim is read', () => {
    const { access, reads } = storage({});
    const plugin = create({ volumes: access });
    const plain = pod({ volumes: [{ name: 'token' }] });
    expect(plugin.preFilter(newCycleContext(snapshot([]), plain), plain)).toMatchObject({ code: 'Skip' });
    const result = scheduleOne(defaultProfile('default-scheduler', { volumes: access }), snapshot(hosts('a')), plain, {
      nextStartIndex: 0,
    });
    expect(result.kind).toBe('scheduled');
    if (result.kind === 'scheduled')
      expect(result.context.filters?.some((f) => f.name === 'VolumeBinding')).toBe(false);
    expect(reads.claims).toBe(0);
  });

  it.each([
    ['a missing claim', {}, 'persistentvolumeclaim "data" not found'],
    [
      'a claim being deleted',
      {
        claims: [
          claim('data', {
            extra: { metadata: { name: 'data', namespace: 'default', deletionTimestamp: '2024-01-01T00:00:00Z' } },
          }),
        ],
      },
      'persistentvolumeclaim "data" is being deleted',
    ],
    [
      'an unbound claim of an Immediate class',
      {
        claims: [claim('data', { className: 'fast' })],
        classes: [storageClass('fast', 'Immediate', 'example.com/csi')],
      },
      'pod has unbound immediate PersistentVolumeClaims',
    ],
    [
      'an unbound claim of a missing class',
      { claims: [claim('data', { className: 'gone' })] },
      'pod has unbound immediate PersistentVolumeClaims',
    ],
    [
      'an unbound claim without a class',
      { claims: [claim('data')] },
      'pod has unbound immediate PersistentVolumeClaims',
    ],
  ])('rules the pod out everywhere for %s', (_case, objects, reason) => {
    const { access } = storage(objects);
    const p = withClaims('data');
    const status = create({ volumes: access }).preFilter(newCycleContext(snapshot([]), p), p);
    expect(status).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: [reason] });
    const result = scheduleOne(defaultProfile('default-scheduler', { volumes: access }), snapshot(hosts('a', 'b')), p, {
      nextStartIndex: 0,
    });
    expect(messageOf(result)).toBe(`0/2 nodes are available: ${reason}. ${notHelpful(2)}`);
  });

  it("names a generic ephemeral volume's claim <pod>-<volume> and wants it owned by the pod", () => {
    const p = pod({ name: 'web', volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: {} } }] });
    const owned = claim('web-scratch', { volumeName: 'pv1' });
    owned.metadata.ownerReferences = [
      { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: p.metadata.uid as string, controller: true },
    ];
    const preFilter = (claims: PersistentVolumeClaim[]) =>
      create({ volumes: storage({ claims, volumes: [volume('pv1')] }).access }).preFilter(
        newCycleContext(snapshot([]), p),
        p,
      );
    expect(preFilter([owned]).code).toBe('Success');
    expect(preFilter([]).reasons).toEqual([
      'waiting for ephemeral volume controller to create the persistentvolumeclaim "web-scratch"',
    ]);
    expect(preFilter([claim('web-scratch', { volumeName: 'pv1' })]).reasons).toEqual([
      'PVC default/web-scratch was not created for pod default/web (pod is not owner)',
    ]);
  });
});

describe('VolumeBinding Filter on bound claims', () => {
  it('sends the pod to the node its volume is reachable from', async () => {
    const { access } = storage({
      claims: [claim('data', { volumeName: 'pv1' })],
      volumes: [volume('pv1', { host: 'b' })],
    });
    const { result } = await cycle(access, hosts('a', 'b', 'c'), withClaims('data'));
    expect(result).toMatchObject({ kind: 'scheduled', node: 'b' });
  });

  it('reports a volume node affinity conflict where no node matches', async () => {
    const { access } = storage({
      claims: [claim('data', { volumeName: 'pv1' })],
      volumes: [volume('pv1', { host: 'z' })],
    });
    const { result } = await cycle(access, hosts('a', 'b'), withClaims('data'));
    expect(messageOf(result)).toBe(
      `0/2 nodes are available: 2 node(s) had volume node affinity conflict. ${notHelpful(2)}`,
    );
  });

  it('matches node affinity on metadata.name (matchFields)', async () => {
    const pv = volume('pv1', {
      spec: {
        nodeAffinity: {
          required: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['c'] }] }] },
        },
      },
    });
    const { access } = storage({ claims: [claim('data', { volumeName: 'pv1' })], volumes: [pv] });
    expect((await cycle(access, hosts('a', 'b', 'c'), withClaims('data'))).result).toMatchObject({ node: 'c' });
  });

  it('reports a claim bound to a volume that does not exist', async () => {
    const { access } = storage({ claims: [claim('data', { volumeName: 'gone' })] });
    const { result } = await cycle(access, hosts('a', 'b'), withClaims('data'));
    expect(messageOf(result)).toBe(
      `0/2 nodes are available: 2 node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s). ${notHelpful(2)}`,
    );
  });
});

describe('VolumeBinding with WaitForFirstConsumer claims', () => {
  it('binds the smallest volume that fits the claim, on a node the volume is reachable from', async () => {
    const volumes = [
      volume('huge', { size: '100Gi', host: 'a' }),
      volume('small', { size: '1Gi', host: 'a' }), // too small for 2Gi
      volume('right', { size: '5Gi', host: 'a' }),
      volume('other-class', { size: '2Gi', host: 'a', className: 'slow' }),
      volume('read-only', { size: '2Gi', host: 'a', spec: { accessModes: ['ReadOnlyMany'] } }),
      volume('block', { size: '2Gi', host: 'a', spec: { volumeMode: 'Block' } }),
      volume('taken', { size: '2Gi', host: 'a', spec: { claimRef: { namespace: 'default', name: 'someone-else' } } }),
      volume('elsewhere', { size: '2Gi', host: 'z' }),
    ];
    const { access, bound } = storage({
      claims: [claim('data', { className: 'local', size: '2Gi' })],
      volumes,
      classes: [localClass],
    });
    const { result, stopped } = await cycle(access, hosts('a', 'b'), withClaims('data'));
    expect(result).toMatchObject({ kind: 'scheduled', node: 'a' });
    expect(stopped).toBeUndefined();
    expect(bound).toEqual(['right<-data']);
  });

  it('takes a volume already bound to the claim (claimRef) before any other', async () => {
    const prebound = volume('mine', {
      size: '50Gi',
      host: 'b',
      spec: { claimRef: { namespace: 'default', name: 'data' } },
    });
    const { access, bound } = storage({
      claims: [claim('data', { className: 'local' })],
      volumes: [volume('cheap', { host: 'a' }), prebound],
      classes: [localClass],
    });
    const { result } = await cycle(access, hosts('a', 'b'), withClaims('data'));
    expect(result).toMatchObject({ node: 'b' });
    expect(bound).toEqual(['mine<-data']);
  });

  it('refuses nodes without a volume when the class cannot provision', async () => {
    const { access } = storage({
      claims: [claim('data', { className: 'local' })],
      volumes: [volume('pv1', { host: 'a' })],
      classes: [localClass],
    });
    const { result } = await cycle(access, hosts('b', 'c'), withClaims('data'));
    expect(messageOf(result)).toBe(
      `0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind. ${notHelpful(2)}`,
    );
  });

  it('leaves it to the provisioner of a class that has one, selecting the node on the claim', async () => {
    const { access, selected, bound } = storage({
      claims: [claim('data', { className: 'csi' })],
      classes: [storageClass('csi', 'WaitForFirstConsumer', 'example.com/csi')],
    });
    const { result, stopped } = await cycle(access, hosts('a'), withClaims('data'));
    expect(result).toMatchObject({ kind: 'scheduled', node: 'a' });
    expect(stopped).toBeUndefined();
    expect(selected).toEqual(['data@a']);
    expect(bound).toEqual([]);
  });

  it('reports each distinct reason a node fails for', async () => {
    const { access } = storage({
      claims: [claim('bound', { volumeName: 'pv1' }), claim('waiting', { className: 'local' })],
      volumes: [volume('pv1', { host: 'z' })],
      classes: [localClass],
    });
    const { result } = await cycle(access, hosts('a'), withClaims('bound', 'waiting'));
    expect(result.kind === 'unschedulable' && result.statuses.get('a')?.reasons).toEqual([
      'node(s) had volume node affinity conflict',
      "node(s) didn't find available persistent volumes to bind",
    ]);
    expect(messageOf(result)).toBe(
      `0/1 nodes are available: 1 node(s) didn't find available persistent volumes to bind, 1 node(s) had volume node affinity conflict. ${notHelpful(1)}`,
    );
  });

  it('gives two claims of one pod two volumes', async () => {
    const { access, bound } = storage({
      claims: [claim('one', { className: 'local' }), claim('two', { className: 'local' })],
      volumes: [volume('pv1', { host: 'a' }), volume('pv2', { host: 'a' }), volume('pv3', { host: 'b' })],
      classes: [localClass],
    });
    const { result } = await cycle(access, hosts('a', 'b'), withClaims('one', 'two'));
    expect(result).toMatchObject({ node: 'a' });
    expect(bound.sort()).toEqual(['pv1<-one', 'pv2<-two']);
  });
});

describe('VolumeBinding Reserve', () => {
  it('holds the chosen volume, so a second pod in flight does not take it, until unreserved', async () => {
    const { access } = storage({
      claims: [claim('first', { className: 'local' }), claim('second', { className: 'local' })],
      volumes: [volume('only', { host: 'a' })],
      classes: [localClass],
    });
    const nodes = hosts('a');
    const snap = snapshot(nodes);
    const profile = defaultProfile('default-scheduler', { volumes: access });
    const points = bindingPointsOf(profile);
    const first = withClaims('first');
    const scheduled = scheduleOne(profile, snap, first, { nextStartIndex: 0 });
    expect(scheduled.kind).toBe('scheduled');
    if (scheduled.kind !== 'scheduled') return;
    expect(reserveAndPermit(points, scheduled.context, first, 'a')).toBeUndefined();

    const second = withClaims('second');
    expect(messageOf(scheduleOne(profile, snap, second, { nextStartIndex: 0 }))).toBe(
      `0/1 nodes are available: 1 node(s) didn't find available persistent volumes to bind. ${notHelpful(1)}`,
    );
    // The first pod's binding failed: the volume is free again.
    unreserve(points, scheduled.context, first, 'a');
    expect(scheduleOne(profile, snap, second, { nextStartIndex: 0 })).toMatchObject({ kind: 'scheduled', node: 'a' });
  });
});
