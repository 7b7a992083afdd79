import { describe, expect, it } from 'vitest';
import { parseUpOptions, UsageError } from './up-options.ts';

describe('parseUpOptions', () => {
  it('defaults to the documented values', () => {
    expect(parseUpOptions([])).toEqual({
      port: 6443,
      nodes: 3,
      dataDir: '.wharf',
      etcd: [],
      host: '127.0.0.1',
      kubeconfig: 'kubeconfig/wharf.kubeconfig',
      help: false,
    });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const options = parseUpOptions([
      '--port=0',
      '--nodes',
      '10',
      '--data-dir',
      '/tmp/w',
      '--etcd',
      'http://10.0.0.1:2379, http://10.0.0.2:2379',
      '--host=0.0.0.0',
      '--kubeconfig',
      '/tmp/kc',
      '--token',
      'abc',
      '--scheduler-config=/etc/wharf/scheduler.yaml',
    ]);
    expect(options).toMatchObject({ port: 0, nodes: 10, dataDir: '/tmp/w', host: '0.0.0.0', kubeconfig: '/tmp/kc' });
    expect(options.etcd).toEqual(['http://10.0.0.1:2379', 'http://10.0.0.2:2379']);
    expect(options.token).toBe('abc');
    expect(options.schedulerConfig).toBe('/etc/wharf/scheduler.yaml');
    expect(parseUpOptions(['-h']).help).toBe(true);
  });

  it('reads the controller-manager timings as Go durations', () => {
    const options = parseUpOptions([
      '--node-monitor-grace-period',
      '1m30s',
      '--horizontal-pod-autoscaler-sync-period=500ms',
    ]);
    expect(options).toMatchObject({ nodeMonitorGracePeriodMs: 90_000, hpaSyncPeriodMs: 500 });
  });

  it.each([
    [['--port', '70000'], /--port/],
    [['--nodes', 'three'], /--nodes/],
    [['--bogus'], /bogus/],
    [['extra'], /extra/],
    [['--etcd', 'localhost:2379'], /etcd URL/],
    [['--token='], /--token/],
    [['--scheduler-config='], /--scheduler-config must not be empty/],
    [['--node-monitor-grace-period', '5'], /--node-monitor-grace-period: must be a duration/],
    [['--horizontal-pod-autoscaler-sync-period', '0s'], /must be positive/],
  ])('rejects %j', (args, message) => {
    expect(() => parseUpOptions(args)).toThrowError(UsageError);
    expect(() => parseUpOptions(args)).toThrowError(message);
  });
});
