import { describe, expect, it } from 'vitest';
import {
  controllerRevisionPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './apps.ts';
import { cells, object } from './testing.ts';

const template = {
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1.27' },
      { name: 'log', image: 'busybox' },
    ],
  },
};

describe('apps printers', () => {
  it('prints a deployment: ready/desired, counts, containers, images and selector', () => {
    const deployment = object('Deployment', {
      spec: {
        replicas: 3,
        template,
        selector: {
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
        },
      },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    });
    expect(deploymentPrinter.row(deployment, Date.parse('2025-01-01T12:00:00Z'))).toEqual([
      'x',
      '2/3',
      3,
      2,
      '5m',
      'web,log',
      'nginx:1.27,busybox',
      'app=web,tier in (a,b)',
    ]);
  });

  it('defaults replicas to 1 as the server does, and prints an empty selector as empty', () => {
    expect(cells(deploymentPrinter, object('Deployment'))).toMatchObject({ Ready: '0/1', Selector: '' });
  });

  it('prints <none> for a replica set without a selector and formats Exists/DoesNotExist', () => {
    expect(cells(replicaSetPrinter, object('ReplicaSet')).Selector).toBe('<none>');
    const replicaSet = object('ReplicaSet', {
      spec: {
        replicas: 2,
        selector: {
          matchExpressions: [
            { key: 'b', operator: 'DoesNotExist' },
            { key: 'a', operator: 'Exists' },
          ],
        },
      },
      status: { replicas: 2, readyReplicas: 1 },
    });
    expect(cells(replicaSetPrinter, replicaSet)).toMatchObject({ Desired: 2, Current: 2, Ready: 1, Selector: 'a,!b' });
  });

  it('prints a stateful set as ready/desired', () => {
    const statefulSet = object('StatefulSet', { spec: { replicas: 3, template }, status: { readyReplicas: 1 } });
    expect(cells(statefulSetPrinter, statefulSet)).toMatchObject({ Ready: '1/3', Containers: 'web,log' });
  });

  it('prints a daemon set node selector', () => {
    const daemonSet = object('DaemonSet', {
      spec: { template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
      status: { desiredNumberScheduled: 3, numberReady: 2 },
    });
    expect(cells(daemonSetPrinter, daemonSet)).toMatchObject({
      Desired: 3,
      Ready: 2,
      'Node Selector': 'kubernetes.io/os=linux',
    });
    expect(cells(daemonSetPrinter, object('DaemonSet'))['Node Selector']).toBe('<none>');
  });

  it('prints a controller revision owner as kind.group/name', () => {
    const revision = object(
      'ControllerRevision',
      { revision: 4 },
      { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] },
    );
    expect(cells(controllerRevisionPrinter, revision)).toMatchObject({
      Controller: 'statefulset.apps/web',
      Revision: 4,
    });
    expect(cells(controllerRevisionPrinter, object('ControllerRevision')).Controller).toBe('<none>');
  });
});

describe('selector errors', () => {
  it('marks an In requirement without values as invalid', () => {
    const selector = { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] };
    expect(cells(deploymentPrinter, object('Deployment', { spec: { selector } })).Selector).toBe('<invalid>');
    expect(cells(replicaSetPrinter, object('ReplicaSet', { spec: { selector } })).Selector).toBe('<error>');
  });
});
