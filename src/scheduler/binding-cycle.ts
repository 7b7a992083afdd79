/**
 * The extension points after a node is chosen, run as kube-scheduler runs them (schedule_one.go):
 * Reserve and Permit in the scheduling cycle, right after the pod is assumed and before the next pod is
 * looked at; PreBind and Bind in the binding cycle, asynchronously, so a slow API write never stalls the
 * loop. A profile's plugins per point are worked out once; a profile without any costs a flag test, and
 * a plugin with nothing to do for a pod (VolumeBinding for a pod without claims) a Map lookup.
 */
import { type AnyPlugin, type CycleContext, errorStatus, type PluginStatus } from './framework.ts';
import type { Profile } from './plugins/index.ts';
import type { Pod } from './types.ts';

type With<K extends keyof AnyPlugin> = AnyPlugin & Required<Pick<AnyPlugin, K>>;

export interface BindingPoints {
  reserves: readonly With<'reserve'>[];
  permits: readonly With<'permit'>[];
  preBinds: readonly With<'preBind'>[];
  binds: readonly With<'bind'>[];
  /** No Reserve and no Permit plugin: the scheduling cycle ends with the assume. */
  hasNothingToReserve: boolean;
  /** No PreBind and no Bind plugin: pods/binding alone binds. */
  bindsByDefault: boolean;
}

const pointsByProfile = new WeakMap<Profile, BindingPoints>();

export function bindingPointsOf(profile: Profile): BindingPoints {
  let points = pointsByProfile.get(profile);
  if (!points) {
    const plugins = profile.plugins;
    const reserves = plugins.filter((p): p is With<'reserve'> => Boolean(p.reserve));
    const permits = plugins.filter((p): p is With<'permit'> => Boolean(p.permit));
    const preBinds = plugins.filter((p): p is With<'preBind'> => Boolean(p.preBind));
    const binds = plugins.filter((p): p is With<'bind'> => Boolean(p.bind));
    points = {
      reserves,
      permits,
      preBinds,
      binds,
      hasNothingToReserve: reserves.length === 0 && permits.length === 0,
      bindsByDefault: preBinds.length === 0 && binds.length === 0,
    };
    pointsByProfile.set(profile, points);
  }
  return points;
}

const passes = (status: PluginStatus) => status.code === 'Success' || status.code === 'Skip';

/**
 * The status a plugin stopped the pod with: a rejection keeps its reasons (they become the
 * FailedScheduling message); an error says where it came from, worded as kube's framework wraps it.
 */
function stoppedBy(status: PluginStatus, point: string, plugin: string): PluginStatus {
  if (status.code === 'Unschedulable' || status.code === 'UnschedulableAndUnresolvable') return { ...status, plugin };
  return { code: 'Error', reasons: [`running ${point} plugin "${plugin}": ${status.reasons.join(', ')}`], plugin };
}

/** Every Reserve plugin's unreserve, last first, whether or not its reserve ran (plugins must allow that). */
export function unreserve(points: BindingPoints, context: CycleContext, pod: Pod, nodeName: string): void {
  for (let i = points.reserves.length - 1; i >= 0; i--) {
    (points.reserves[i] as With<'reserve'>).unreserve?.(context, pod, nodeName);
  }
}

/**
 * Reserve, then Permit, for the node the pod was assumed onto. Undefined when the pod may go on to
 * binding; otherwise the status that stopped it, every Reserve plugin already unreserved (the caller
 * forgets the assumed pod).
 */
export function reserveAndPermit(
  points: BindingPoints,
  context: CycleContext,
  pod: Pod,
  nodeName: string,
): PluginStatus | undefined {
  for (const plugin of points.reserves) {
    const status = plugin.reserve(context, pod, nodeName);
    if (passes(status)) continue;
    unreserve(points, context, pod, nodeName);
    return stoppedBy(status, 'Reserve', plugin.name);
  }
  for (const plugin of points.permits) {
    const status = plugin.permit(context, pod, nodeName);
    if (passes(status)) continue;
    unreserve(points, context, pod, nodeName);
    return stoppedBy(status, 'Permit', plugin.name);
  }
  return undefined;
}

/** A plugin that throws (an API write failed) has failed with an Error status; it does not crash the binding. */
const thrown = (err: unknown) => errorStatus(err instanceof Error ? err.message : String(err));

/**
 * PreBind, then Bind: the first Bind plugin that does not Skip binds; if none does, `defaultBind`
 * (pods/binding, kube's DefaultBinder) does, and its errors propagate to the caller as before. Resolves
 * to undefined once the pod is bound, or to the plugin status that stopped it (the caller unreserves,
 * forgets and backs off).
 */
export async function preBindAndBind(
  points: BindingPoints,
  context: CycleContext,
  pod: Pod,
  nodeName: string,
  defaultBind: () => Promise<void>,
): Promise<PluginStatus | undefined> {
  for (const plugin of points.preBinds) {
    let status: PluginStatus;
    try {
      status = await plugin.preBind(context, pod, nodeName);
    } catch (err) {
      status = thrown(err);
    }
    if (!passes(status)) return stoppedBy(status, 'PreBind', plugin.name);
  }
  for (const plugin of points.binds) {
    let status: PluginStatus;
    try {
      status = await plugin.bind(context, pod, nodeName);
    } catch (err) {
      status = thrown(err);
    }
    if (status.code === 'Skip') continue;
    return status.code === 'Success' ? undefined : stoppedBy(status, 'Bind', plugin.name);
  }
  await defaultBind();
  return undefined;
}
