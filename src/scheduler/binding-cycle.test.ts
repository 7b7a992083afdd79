import { afterEach, describe, expect, it } from 'vitest';
import { events, nodes, pods } from '../client/resources.ts';
import { eventually } from '../controllers/runtime/eventually.ts';
import { bindingPointsOf, preBindAndBind, reserveAndPermit } from './binding-cycle.ts';
import { type AnyPlugin, errorStatus, type PluginStatus, skip, success, unschedulable } from './framework.ts';
import { defaultProfile, type Profile } from './plugins/index.ts';
import { newCycleContext } from './schedule-one.ts';
import { type RunningScheduler, startScheduler } from './scheduler.ts';
import { nodeObject, podObject, startTestApi, type TestApi } from './testing/api.ts';
import { pod, snapshot } from './testing/builders.ts';
import type { Pod } from './types.ts';

/** A Reserve plugin that writes what happens to it into `log`. */
function reserver(name: string, log: string[], answer: PluginStatus = success): AnyPlugin {
  return {
    name,
    reserve: (_c, p) => {
      log.push(`reserve ${name} ${p.metadata.name}`);
      return answer;
    },
    unreserve: (_c, p) => {
      log.push(`unreserve ${name} ${p.metadata.name}`);
    },
  };
}

const profileWith = (...plugins: AnyPlugin[]): Profile => {
  const profile = defaultProfile('default-scheduler', {}, ['DefaultPreemption']);
  profile.plugins.push(...plugins);
  return profile;
};

describe('Reserve and Permit', () => {
  const p = pod({ name: 'web' });
  const context = newCycleContext(snapshot([]), p);

  it('works the points out once per profile; without such plugins, two flags say so', () => {
    const profile = defaultProfile();
    expect(bindingPointsOf(profile)).toBe(bindingPointsOf(profile));
    // VolumeBinding reserves and pre-binds.
    expect(bindingPointsOf(profile)).toMatchObject({ hasNothingToReserve: false, bindsByDefault: false });
    const bare = defaultProfile('default-scheduler', {}, ['VolumeBinding']);
    expect(bindingPointsOf(bare)).toMatchObject({ hasNothingToReserve: true, bindsByDefault: true });
  });

  it('unreserves every Reserve plugin, last first, when one refuses', () => {
    const log: string[] = [];
    const profile = profileWith(
      reserver('First', log),
      reserver('Refuses', log, unschedulable('no room left')),
      reserver('Never', log),
    );
    const stopped = reserveAndPermit(bindingPointsOf(profile), context, p, 'n1');
    expect(stopped).toEqual({ code: 'Unschedulable', reasons: ['no room left'], plugin: 'Refuses' });
    expect(log).toEqual([
      'reserve First web',
      'reserve Refuses web',
      'unreserve Never web',
      'unreserve Refuses web',
      'unreserve First web',
    ]);
  });

  it('unreserves when a Permit plugin rejects, and says where an error came from', () => {
    const log: string[] = [];
    const gate = { name: 'Gate', permit: () => unschedulable('gate closed') };
    const points = bindingPointsOf(profileWith(reserver('Holder', log), gate));
    expect(reserveAndPermit(points, context, p, 'n1')).toEqual({
      code: 'Unschedulable',
      reasons: ['gate closed'],
      plugin: 'Gate',
    });
    expect(log).toEqual(['reserve Holder web', 'unreserve Holder web']);
    const broken = bindingPointsOf(profileWith({ name: 'Broken', reserve: () => errorStatus('bug') }));
    expect(reserveAndPermit(broken, context, p, 'n1')?.reasons).toEqual(['running Reserve plugin "Broken": bug']);
  });
});

describe('PreBind and Bind', () => {
  const p = pod({ name: 'web' });
  const context = newCycleContext(snapshot([]), p);

  it('binds with the first Bind plugin that does not Skip, else with the default binder', async () => {
    const calls: string[] = [];
    const binder = (name: string, answer: PluginStatus): AnyPlugin => ({
      name,
      bind: async () => {
        calls.push(name);
        return answer;
      },
    });
    const defaultBind = async () => {
      calls.push('pods/binding');
    };
    const custom = bindingPointsOf(
      profileWith(binder('Passes', skip), binder('Binds', success), binder('Late', success)),
    );
    expect(await preBindAndBind(custom, context, p, 'n1', defaultBind)).toBeUndefined();
    expect(calls).toEqual(['Passes', 'Binds']);
    calls.length = 0;
    const skipping = bindingPointsOf(profileWith(binder('Passes', skip)));
    expect(await preBindAndBind(skipping, context, p, 'n1', defaultBind)).toBeUndefined();
    expect(calls).toEqual(['Passes', 'pods/binding']);
  });

  it('stops before binding when a PreBind plugin fails or throws', async () => {
    let bound = false;
    const throwing = { name: 'Volumes', preBind: () => Promise.reject(new Error('conflict')) };
    const stopped = await preBindAndBind(bindingPointsOf(profileWith(throwing)), context, p, 'n1', async () => {
      bound = true;
    });
    expect(stopped).toEqual({
      code: 'Error',
      reasons: ['running PreBind plugin "Volumes": conflict'],
      plugin: 'Volumes',
    });
    expect(bound).toBe(false);
  });
});

describe('the scheduler runs Reserve, Permit and Bind plugins', () => {
  let api: TestApi;
  let scheduler: RunningScheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await api.close();
  });

  const podOf = async (name: string) => (await api.client.resource(pods).get(name, 'default')) as unknown as Pod;
  const eventMessages = async (reason: string) =>
    (await api.client.resource(events).list({ namespace: 'default' })).items
      .filter((e) => (e as { reason?: string }).reason === reason)
      .map((e) => (e as { message?: string }).message);

  it('leaves a pod a Permit plugin rejects unscheduled, with what it reserved undone', async () => {
    api = await startTestApi();
    await api.client.resource(nodes).create(nodeObject('w1'));
    const log: string[] = [];
    const gate = { name: 'Gate', permit: () => unschedulable('gate closed') };
    scheduler = await startScheduler({ client: api.client, profiles: [profileWith(reserver('Holder', log), gate)] });
    await api.client.resource(pods).create(podObject('web'));
    await eventually(async () => {
      const condition = (await podOf('web')).status?.conditions?.find((c) => c.type === 'PodScheduled');
      expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable' });
      expect(condition?.message).toBe('0/1 nodes are available: 1 gate closed.');
    });
    expect(log.slice(0, 2)).toEqual(['reserve Holder web', 'unreserve Holder web']);
    expect((await podOf('web')).spec.nodeName).toBeUndefined();
  });

  it('binds through a Bind plugin instead of pods/binding', async () => {
    api = await startTestApi();
    await api.client.resource(nodes).create(nodeObject('w1'));
    const bound: string[] = [];
    const binder = {
      name: 'Recorder',
      bind: async (_c: unknown, p: Pod, nodeName: string) => {
        bound.push(`${p.metadata.name}->${nodeName}`);
        return success;
      },
    };
    scheduler = await startScheduler({ client: api.client, profiles: [profileWith(binder)] });
    await api.client.resource(pods).create(podObject('web'));
    await eventually(async () => {
      expect(await eventMessages('Scheduled')).toEqual(['Successfully assigned default/web to w1']);
    });
    expect(bound).toEqual(['web->w1']);
    // pods/binding was never called: the pod itself is unchanged.
    expect((await podOf('web')).spec.nodeName).toBeUndefined();
  });

  it('backs off with a FailedScheduling event when a PreBind plugin fails, and unreserves', async () => {
    api = await startTestApi();
    await api.client.resource(nodes).create(nodeObject('w1'));
    const log: string[] = [];
    const failing = { name: 'Volumes', preBind: async () => errorStatus('disk on fire') };
    scheduler = await startScheduler({ client: api.client, profiles: [profileWith(reserver('Holder', log), failing)] });
    await api.client.resource(pods).create(podObject('web'));
    await eventually(async () => {
      expect(await eventMessages('FailedScheduling')).toContain('running PreBind plugin "Volumes": disk on fire');
    });
    expect(log.slice(0, 2)).toEqual(['reserve Holder web', 'unreserve Holder web']);
    expect((await podOf('web')).spec.nodeName).toBeUndefined();
  });
});
