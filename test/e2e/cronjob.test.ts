/**
 * CronJobs and Jobs through real kubectl against `wharf up`: `kubectl create job --from=cronjob/x`
 * makes a Job the job controller runs to completion on the simulated nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../src/controllers/runtime/eventually.ts';
import { kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import { e2eVersions } from './versions.ts';

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf();
});
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

describe.each(e2eVersions)('kubectl %s', (version) => {
  const k = (...args: string[]) => kubectl(version, args, { kubeconfig: wharf.kubeconfig });
  const ok = async (...args: string[]) => {
    const result = await k(...args);
    expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const ns = `cron-${version.replace('.', '-')}`;

  it('create job --from=cronjob runs the CronJob template as a Job to completion', async () => {
    await ok('create', 'namespace', ns);
    await ok(
      '-n',
      ns,
      'create',
      'cronjob',
      'tick',
      '--image=busybox:1.36',
      '--schedule=*/5 * * * *',
      '--',
      'sh',
      '-c',
      'echo hi',
    );
    await ok('-n', ns, 'create', 'job', 'tick-manual', '--from=cronjob/tick');
    const job = JSON.parse(await ok('-n', ns, 'get', 'job', 'tick-manual', '-o', 'json')) as {
      metadata: { annotations?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string }> };
    };
    expect(job.metadata.annotations?.['cronjob.kubernetes.io/instantiate']).toBe('manual');
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick' });
    await eventually(async () => {
      const status = JSON.parse(await ok('-n', ns, 'get', 'job', 'tick-manual', '-o', 'jsonpath={.status}')) as {
        succeeded?: number;
        conditions?: Array<{ type: string; status: string }>;
      };
      expect(status.succeeded).toBe(1);
      expect(status.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True');
    }, 3000);
    const pods = await ok('-n', ns, 'get', 'pods', '-l', 'job-name=tick-manual', '-o', 'name');
    expect(pods.trim()).toMatch(/^pod\/tick-manual-\w{5}$/);
  });
});
