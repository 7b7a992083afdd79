import { describe, expect, it } from 'vitest';
import { fitErrorMessage } from './fit-error.ts';
import { type PluginStatus, unresolvable, unschedulable } from './framework.ts';
import { newNodeInfo } from './node-info.ts';
import { NodeStatuses } from './node-statuses.ts';
import { node } from './testing/builders.ts';

describe('NodeStatuses', () => {
  const infos = ['a', 'b', 'c', 'd'].map((name) => newNodeInfo(node({ name })));
  const cpu: PluginStatus = { ...unschedulable('Insufficient cpu'), plugin: 'NodeResourcesFit' };
  const taint: PluginStatus = { ...unresolvable('node(s) had untolerated taint {k: v}'), plugin: 'TaintToleration' };
  // Evaluated from c round to b, as a cycle that started at index 2 would; d was not refused.
  const statuses = new NodeStatuses(infos, [2, 0, 1], [cpu, cpu, taint]);

  it('answers by name and by position, like the map it stands for', () => {
    expect(statuses.size).toBe(3);
    expect(statuses.get('c')).toBe(cpu);
    expect(statuses.get('b')).toBe(taint);
    expect(statuses.has('d')).toBe(false);
    expect(statuses.at(1, infos[1] as (typeof infos)[number])).toBe(taint);
    expect(new Map(statuses)).toEqual(
      new Map([
        ['a', cpu],
        ['b', taint],
        ['c', cpu],
      ]),
    );
  });
  it('looks a node up by name when the position belongs to another node', () => {
    expect(statuses.at(3, infos[0] as (typeof infos)[number])).toBe(cpu);
  });
  it('counts shared statuses once per node in the FailedScheduling message', () => {
    expect(fitErrorMessage(4, statuses)).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu.',
    );
  });
});
