/**
 * The scheduler as an API client: informers on pods and nodes keep a NodeInfo snapshot up to date
 * incrementally; pending pods for our schedulerName go through the queue; each decision is assumed into
 * the snapshot at once, passed through Reserve and Permit, and bound asynchronously (PreBind, then a Bind
 * plugin or pods/binding), so one slow bind never stalls the next cycle (kube-scheduler's assume + async
 * bind; binding-cycle.ts).
 */
import { disruptionTarget } from '../client/disruption-target.ts';
import { namespaces, nodes, podDisruptionBudgets, pods } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import { createInformers, type Informers } from '../controllers/runtime/informer-factory.ts';
import { createEventRecorder, type EventRecorder } from '../events/recorder.ts';
import { isStatusError } from '../status.ts';
import type { KubeObject, LabelSelector } from '../types/meta.ts';
import { type BindingPoints, bindingPointsOf, preBindAndBind, reserveAndPermit, unreserve } from './binding-cycle.ts';
import { createDefaultSpreadSelectors } from './default-spread-selector.ts';
import { fitErrorMessage } from './fit-error.ts';
import type { CycleContext, PluginStatus, Snapshot } from './framework.ts';
import {
  addPod,
  type NodeInfo,
  newNodeInfo,
  noPodInfos,
  type PodInfo,
  podKey,
  removePod,
  setNode,
  setNominated,
  toPodInfo,
} from './node-info.ts';
import { defaultProfile, type Profile, type ProfileDependencies } from './plugins/index.ts';
import { PodIndex } from './pod-index.ts';
import { SchedulingQueue } from './queue.ts';
import { type ScheduleResult, scheduleOne } from './schedule-one.ts';
import type { Node, Pod, PodCondition } from './types.ts';
import { Verdicts } from './verdicts.ts';
import { createVolumeAccess } from './volume-access.ts';

export interface SchedulerOptions {
  client: KubeClient;
  /**
   * Profiles by schedulerName; default: one 'default-scheduler' profile with the default plugins. A
   * function gets the scheduler's own informer-backed dependencies (budgets, volumes, the default spread
   * selector), e.g. `(d) => loadSchedulerConfiguration(path, d)`.
   */
  profiles?: Profile[] | ((dependencies: ProfileDependencies) => Profile[]);
  informers?: Informers;
  clock?: () => number;
}

export interface RunningScheduler {
  stop(): Promise<void>;
  /** Counters for benchmarks and tests; decisionMs keeps the last 20,000 cycle durations. */
  stats: { scheduled: number; failed: number; attempts: number; decisionMs: number[] };
}

const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

function sameLabels(a: Pod, b: Pod): boolean {
  const x = a.metadata.labels ?? {};
  const y = b.metadata.labels ?? {};
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (x[k] !== y[k]) return false;
  return true;
}

const defaultSchedulerName = 'default-scheduler';
/** The DisruptionTarget reason kube-scheduler gives its preemption victims. */
const preemptionReason = 'PreemptionByScheduler';

function nowTimestamp(now: number): string {
  return new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export async function startScheduler(options: SchedulerOptions): Promise<RunningScheduler> {
  const { client } = options;
  const clock = options.clock ?? Date.now;
  const informers = options.informers ?? createInformers(client);
  const pdbInformer = informers.informerFor(podDisruptionBudgets);
  const budgets = () =>
    pdbInformer.list().map((b) => {
      const spec = (b as { spec?: { selector?: LabelSelector } }).spec;
      const status = (b as { status?: { disruptionsAllowed?: number } }).status;
      return {
        namespace: b.metadata.namespace ?? '',
        selector: spec?.selector,
        disruptionsAllowed: status?.disruptionsAllowed ?? 0,
      };
    });
  const volumes = createVolumeAccess(client, informers);
  const spreadSelectors = createDefaultSpreadSelectors(informers);
  const dependencies: ProfileDependencies = { budgets, volumes, defaultSpreadSelector: spreadSelectors.selectorFor };
  const configured = typeof options.profiles === 'function' ? options.profiles(dependencies) : options.profiles;
  const profiles = new Map(
    (configured ?? [defaultProfile(defaultSchedulerName, dependencies)]).map((p) => [p.schedulerName, p]),
  );
  const podInformer = informers.informerFor(pods);
  const nodeInformer = informers.informerFor(nodes);
  const namespaceInformer = informers.informerFor(namespaces);
  // Each profile reports as its schedulerName (kubectl describe's From column), as kube-scheduler's do.
  const recorders = new Map<string, EventRecorder>(
    [...profiles.keys()].map((name) => [name, createEventRecorder(client, { component: name }, clock)]),
  );
  /** The recorder of the profile that schedules `pod`. */
  const recorderFor = (pod: Pod) => recorders.get(pod.spec.schedulerName ?? defaultSchedulerName) as EventRecorder;
  const queue = new SchedulingQueue({ clock: { now: clock } });
  const stats = { scheduled: 0, failed: 0, attempts: 0, decisionMs: [] as number[] };
  // A claim bound, a volume or class created or changed: pods VolumeBinding refused may fit now.
  volumes.onChange(() => queue.moveAllToActiveOrBackoff());

  const nodeInfos = new Map<string, NodeInfo>();
  // Rebuilt on first use after a node is added or removed (start-up adds thousands in a row).
  let nodeList: NodeInfo[] | undefined;
  const currentNodes = () => {
    nodeList ??= [...nodeInfos.values()];
    return nodeList;
  };
  // Where each pod we account for sits, so moves and deletes update the right NodeInfo.
  const placement = new Map<string, string>();
  const assumed = new Set<string>();

  const podIndex = new PodIndex(currentNodes);
  const refreshNodeList = () => {
    nodeList = undefined;
    podIndex.nodesChanged();
  };
  /** NodeInfo and the pod index change together. */
  const place = (info: NodeInfo, podInfo: PodInfo) => {
    unplace(info, podKey(podInfo.pod));
    addPod(info, podInfo);
    podIndex.added(info.name, podInfo.pod);
  };
  const unplace = (info: NodeInfo, key: string) => {
    const existing = info.pods.get(key);
    if (!existing) return;
    removePod(info, key);
    podIndex.removed(info.name, existing.pod);
  };
  // Pods preemption nominated to a node, by node (their room stays reserved until they bind), with the
  // reverse map so clearing a nomination does not visit every nominated node.
  const nominations = new Map<string, Map<string, PodInfo>>();
  const nominatedTo = new Map<string, string>();
  /** Each NodeInfo carries its nominated pods as an array filters read without a lookup (see NodeInfo.nominated). */
  const refreshNominated = (nodeName: string) => {
    const info = nodeInfos.get(nodeName);
    const pods = nominations.get(nodeName);
    if (info) setNominated(info, pods ? [...pods.values()] : noPodInfos);
  };
  /** Returns the node the pod was nominated to before, if any. */
  function nominate(pod: Pod, nodeName: string | undefined): string | undefined {
    const key = podKey(pod);
    const previous = nominatedTo.get(key);
    if (previous !== undefined) {
      const pods = nominations.get(previous);
      if (pods?.delete(key) && pods.size === 0) nominations.delete(previous);
      nominatedTo.delete(key);
      refreshNominated(previous);
    }
    if (!nodeName) return previous;
    let pods = nominations.get(nodeName);
    if (!pods) {
      pods = new Map();
      nominations.set(nodeName, pods);
    }
    pods.set(key, toPodInfo(pod));
    nominatedTo.set(key, nodeName);
    refreshNominated(nodeName);
    return previous;
  }
  /**
   * The room a nomination held is free again (its pod went elsewhere or away): pods that were refused
   * because of it may fit now, and no other event would tell them.
   */
  function releaseNomination(pod: Pod, boundTo?: string): void {
    const previous = nominate(pod, undefined);
    if (previous !== undefined && previous !== boundTo) queue.moveAllToActiveOrBackoff();
  }
  const snapshot: Snapshot = {
    pods: podIndex,
    hasNominatedPods: () => nominations.size > 0,
    nominatedNodeOf: (pod) => nominatedTo.get(podKey(pod)),
    // Every change to a NodeInfo here goes through addPod/removePod/setNode/setNominated.
    verdicts: new Verdicts(),
    get nodes() {
      return currentNodes();
    },
    get: (name) => nodeInfos.get(name),
    namespaceLabels: (namespace) => namespaceInformer.getByName(undefined, namespace)?.metadata.labels,
  };

  function account(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec.nodeName;
    const current = placement.get(key);
    if (current && (current !== nodeName || isTerminal(pod))) {
      const info = nodeInfos.get(current);
      if (info) unplace(info, key);
      placement.delete(key);
      // A pod that finished (or moved) frees its node as a deletion would: waiting pods may fit now.
      queue.moveAllToActiveOrBackoff();
    }
    if (!nodeName || isTerminal(pod)) return;
    if (current === nodeName && assumed.has(key)) {
      // Our own binding coming back: the assumed PodInfo already holds its requests; only the object is newer.
      const assumedInfo = nodeInfos.get(nodeName)?.pods.get(key);
      if (assumedInfo && sameLabels(assumedInfo.pod, pod) && !pod.metadata.deletionTimestamp) {
        assumedInfo.pod = pod;
        assumed.delete(key);
        return;
      }
    }
    let info = nodeInfos.get(nodeName);
    if (!info) {
      // A pod bound to a node we have not seen yet: keep its usage on a placeholder until the node arrives.
      info = newNodeInfo({ metadata: { name: nodeName }, status: { allocatable: {} } });
      nodeInfos.set(nodeName, info);
      refreshNominated(nodeName);
      refreshNodeList();
    }
    place(info, toPodInfo(pod));
    placement.set(key, nodeName);
    assumed.delete(key);
  }

  function forget(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = placement.get(key);
    if (nodeName) {
      const info = nodeInfos.get(nodeName);
      if (info) unplace(info, key);
      placement.delete(key);
    }
    assumed.delete(key);
  }

  const wantsScheduling = (pod: Pod) =>
    !pod.spec.nodeName &&
    !pod.metadata.deletionTimestamp &&
    !isTerminal(pod) &&
    profiles.has(pod.spec.schedulerName ?? defaultSchedulerName);

  /** Did anything that scheduling reads change (spec, labels, annotations), not just status? */
  function schedulingInputsChanged(old: Pod, pod: Pod): boolean {
    return (
      JSON.stringify(old.spec) !== JSON.stringify(pod.spec) ||
      JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {}) ||
      JSON.stringify(old.metadata.annotations ?? {}) !== JSON.stringify(pod.metadata.annotations ?? {})
    );
  }

  function onPod(pod: Pod, old?: Pod): void {
    const key = podKey(pod);
    if (pod.spec.nodeName || pod.metadata.deletionTimestamp) releaseNomination(pod, pod.spec.nodeName);
    if (pod.spec.nodeName) {
      queue.delete(key);
      account(pod);
      return;
    }
    if (assumed.has(key)) return;
    if (wantsScheduling(pod)) queue.add(key, pod, !old || schedulingInputsChanged(old, pod));
    else queue.delete(key);
  }

  podInformer.addHandlers({
    onAdd: (p) => onPod(p as unknown as Pod),
    onUpdate: (old, p) => onPod(p as unknown as Pod, old as unknown as Pod),
    onDelete: (p) => {
      const pod = p as unknown as Pod;
      queue.delete(podKey(pod));
      releaseNomination(pod);
      const wasPlaced = placement.has(podKey(pod));
      forget(pod);
      // Freed resources may let waiting pods fit.
      if (wasPlaced) queue.moveAllToActiveOrBackoff();
    },
  });
  nodeInformer.addHandlers({
    onAdd: (n) => {
      const node = n as unknown as Node;
      const name = node.metadata.name as string;
      const existing = nodeInfos.get(name);
      if (existing) setNode(existing, node);
      else {
        nodeInfos.set(name, newNodeInfo(node));
        refreshNominated(name);
      }
      refreshNodeList();
      queue.moveAllToActiveOrBackoff();
    },
    onUpdate: (old, n) => {
      const node = n as unknown as Node;
      const info = nodeInfos.get(node.metadata.name as string);
      if (info) setNode(info, node);
      if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(node.metadata.labels ?? {})) {
        podIndex.nodesChanged();
      }
      queue.moveAllToActiveOrBackoff();
    },
    onDelete: (n) => {
      nodeInfos.delete((n as unknown as Node).metadata.name as string);
      refreshNodeList();
    },
  });

  const abort = new AbortController();
  if (!options.informers) informers.start(abort.signal);
  await Promise.all([
    podInformer.waitForSync(abort.signal),
    nodeInformer.waitForSync(abort.signal),
    volumes.waitForSync(abort.signal),
    spreadSelectors.waitForSync(abort.signal),
  ]);

  const podApi = client.resource(pods);
  const binds = new Set<Promise<void>>();

  /** kube's DefaultBinder: the pods/binding subresource. */
  async function bindThroughApi(pod: Pod, nodeName: string): Promise<void> {
    const { name, namespace } = pod.metadata;
    await podApi.createSubresource(name as string, namespace, 'binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace, uid: pod.metadata.uid },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    });
  }

  /** The binding went wrong: what Reserve held and the assumed room are free again. */
  function undoAssume(pod: Pod, nodeName: string, points: BindingPoints, context: CycleContext): void {
    unreserve(points, context, pod, nodeName);
    forget(pod);
    queue.moveAllToActiveOrBackoff();
  }

  async function bind(
    pod: Pod,
    nodeName: string,
    entry: Parameters<SchedulingQueue['done']>[0],
    points: BindingPoints,
    context: CycleContext,
  ): Promise<void> {
    const { name, namespace } = pod.metadata;
    try {
      if (points.bindsByDefault) await bindThroughApi(pod, nodeName);
      else {
        const stopped = await preBindAndBind(points, context, pod, nodeName, () => bindThroughApi(pod, nodeName));
        if (stopped) {
          undoAssume(pod, nodeName, points, context);
          queue.done(entry, 'error');
          recorderFor(pod).event(
            pod as unknown as KubeObject,
            'Warning',
            'FailedScheduling',
            stopped.reasons.join(', '),
          );
          return;
        }
      }
      stats.scheduled++;
      queue.done(entry, 'bound');
      recorderFor(pod).event(
        pod as unknown as KubeObject,
        'Normal',
        'Scheduled',
        `Successfully assigned ${namespace}/${name} to ${nodeName}`,
      );
    } catch (err) {
      undoAssume(pod, nodeName, points, context);
      const gone = isStatusError(err) && err.code === 404;
      if (gone) {
        queue.delete(podKey(pod));
        queue.done(entry, 'bound');
        return;
      }
      queue.done(entry, 'error');
      recorderFor(pod).event(
        pod as unknown as KubeObject,
        'Warning',
        'FailedScheduling',
        `Binding rejected: ${String(err)}`,
      );
    }
  }

  async function reportUnschedulable(pod: Pod, result: Extract<ScheduleResult, { kind: 'unschedulable' }>) {
    stats.failed++;
    recorderFor(pod).event(pod as unknown as KubeObject, 'Warning', 'FailedScheduling', result.message);
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: nowTimestamp(clock()),
      reason: 'Unschedulable',
      message: result.message,
    };
    const existing = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (existing?.status === 'False' && existing.message === result.message && !result.nominatedNode) return;
    if (existing?.status === 'False' && existing.lastTransitionTime)
      condition.lastTransitionTime = existing.lastTransitionTime;
    const status: Record<string, unknown> = { conditions: [condition] };
    if (result.nominatedNode) status.nominatedNodeName = result.nominatedNode;
    try {
      // Strategic merge on conditions (merge key: type) keeps the other conditions intact.
      await podApi.patch(
        pod.metadata.name as string,
        pod.metadata.namespace,
        'strategic',
        { status },
        { subresource: 'status' },
      );
    } catch {
      // The pod may be gone; the informer will tell.
    }
  }

  /**
   * A Reserve or Permit plugin stopped the pod on the node it was assumed onto. A rejection is reported
   * as kube's FitError for that one node ("0/1 nodes are available: 1 <reason>."); an error backs off.
   */
  function refuseAfterAssume(
    pod: Pod,
    entry: Parameters<SchedulingQueue['done']>[0],
    nodeName: string,
    status: PluginStatus,
  ): void {
    if (status.code === 'Error') {
      queue.done(entry, 'error');
      recorderFor(pod).event(pod as unknown as KubeObject, 'Warning', 'FailedScheduling', status.reasons.join(', '));
      return;
    }
    queue.done(entry, 'unschedulable');
    const statuses = new Map([[nodeName, status]]);
    const message = fitErrorMessage(1, statuses);
    void reportUnschedulable(pod, {
      kind: 'unschedulable',
      message,
      statuses,
      rejectors: new Set([status.plugin ?? '']),
    });
  }

  /** Evict the victims; the pod stays queued with nominatedNodeName until their deletion frees the node. */
  async function preempt(pod: Pod, nodeName: string, victims: Pod[]): Promise<void> {
    await Promise.all(
      victims.map(async (victim) => {
        recorderFor(pod).event(
          victim as unknown as KubeObject,
          'Normal',
          'Preempted',
          `Preempted by pod ${pod.metadata.uid} on node ${nodeName}`,
        );
        const name = victim.metadata.name as string;
        const namespace = victim.metadata.namespace;
        // As kube-scheduler does: mark the victim first, so its owner can tell preemption from a failure.
        const marked = victim.status?.conditions?.some(
          (c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === preemptionReason,
        );
        try {
          if (!marked) {
            const message = `${pod.spec.schedulerName ?? defaultSchedulerName}: preempting to accommodate a higher priority pod`;
            const condition = disruptionTarget(preemptionReason, message, nowTimestamp(clock()));
            await podApi.patch(
              name,
              namespace,
              'strategic',
              { status: { conditions: [condition] } },
              { subresource: 'status' },
            );
          }
          await podApi.delete(name, namespace);
        } catch {
          // Already gone.
        }
      }),
    );
  }

  async function loop(): Promise<void> {
    for (;;) {
      const entry = await queue.pop();
      if (!entry) return;
      stats.attempts++;
      const current = podInformer.getByName(entry.pod.metadata.namespace, entry.pod.metadata.name as string) as
        | Pod
        | undefined;
      const pod = current ?? entry.pod;
      if (!wantsScheduling(pod)) {
        queue.done(entry, 'bound');
        continue;
      }
      const profile = profiles.get(pod.spec.schedulerName ?? defaultSchedulerName) as Profile;
      let result: ScheduleResult;
      const started = performance.now();
      try {
        result = scheduleOne(profile, snapshot, pod, cursor);
      } catch (err) {
        result = { kind: 'error', message: String(err) };
      }
      if (stats.decisionMs.length >= 20_000) stats.decisionMs.shift();
      stats.decisionMs.push(performance.now() - started);
      if (result.kind === 'scheduled') {
        const key = podKey(pod);
        // Assumed now, so its nomination would count it twice on that node (kube-scheduler drops it here too).
        releaseNomination(pod, result.node);
        assumed.add(key);
        place(
          nodeInfos.get(result.node) as NodeInfo,
          toPodInfo({ ...pod, spec: { ...pod.spec, nodeName: result.node } }),
        );
        placement.set(key, result.node);
        const points = bindingPointsOf(profile);
        const refused = points.hasNothingToReserve
          ? undefined
          : reserveAndPermit(points, result.context, pod, result.node);
        if (refused) {
          forget(pod);
          refuseAfterAssume(pod, entry, result.node, refused);
        } else {
          const p = bind(pod, result.node, entry, points, result.context);
          binds.add(p);
          void p.finally(() => binds.delete(p));
        }
      } else if (result.kind === 'unschedulable') {
        queue.done(entry, 'unschedulable');
        if (result.nominatedNode && result.victims) {
          nominate(pod, result.nominatedNode);
          void preempt(pod, result.nominatedNode, result.victims);
        }
        void reportUnschedulable(pod, result);
      } else {
        queue.done(entry, 'error');
        recorderFor(pod).event(pod as unknown as KubeObject, 'Warning', 'FailedScheduling', result.message);
      }
      // Let informer events and bind completions run between cycles.
      if (stats.attempts % 64 === 0) await new Promise((r) => setImmediate(r));
    }
  }
  const cursor = { nextStartIndex: 0 };

  // Backoff expiries and the 5-minute unschedulable flush need a tick even when nothing happens.
  const ticker = setInterval(() => queue.flush(), 250);
  ticker.unref();

  const running = loop();
  return {
    stats,
    async stop() {
      clearInterval(ticker);
      queue.close();
      await running;
      await Promise.allSettled([...binds]);
      await Promise.all([...recorders.values()].map((r) => r.flush()));
      abort.abort();
    },
  };
}
