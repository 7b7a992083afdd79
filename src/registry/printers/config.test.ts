import { describe, expect, it } from 'vitest';
import { webhookConfigurationPrinter } from './admission.ts';
import { configMapPrinter, namespacePrinter, secretPrinter, serviceAccountPrinter } from './config.ts';
import { podTemplatePrinter, replicationControllerPrinter } from './core-workloads.ts';
import { cells, object } from './testing.ts';

describe('config printers', () => {
  it('counts configmap data and binaryData keys', () => {
    const configMap = object('ConfigMap', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } });
    expect(cells(configMapPrinter, configMap)).toMatchObject({ Name: 'x', Data: 3, Age: '5m' });
  });

  it('prints a secret type and counts data and stringData keys once each', () => {
    const secret = object('Secret', {
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'x', 'tls.key': 'y' },
      stringData: { 'tls.key': 'z' },
    });
    expect(cells(secretPrinter, secret)).toMatchObject({ Type: 'kubernetes.io/tls', Data: 2 });
    expect(cells(secretPrinter, object('Secret')).Type).toBe('Opaque');
  });

  it('prints namespace phase, service account secrets and webhook counts', () => {
    expect(cells(namespacePrinter, object('Namespace', { status: { phase: 'Terminating' } })).Status).toBe(
      'Terminating',
    );
    expect(cells(namespacePrinter, object('Namespace')).Status).toBe('Active');
    expect(cells(serviceAccountPrinter, object('ServiceAccount', { secrets: [{ name: 't' }] })).Secrets).toBe(1);
    const webhooks = object('ValidatingWebhookConfiguration', { webhooks: [{ name: 'a' }, { name: 'b' }] });
    expect(cells(webhookConfigurationPrinter, webhooks).Webhooks).toBe(2);
  });
});

describe('core workload printers', () => {
  it('prints a replication controller with its map selector', () => {
    const controller = object('ReplicationController', {
      spec: { replicas: 2, selector: { app: 'web' } },
      status: { replicas: 2, readyReplicas: 2 },
    });
    expect(cells(replicationControllerPrinter, controller)).toMatchObject({
      Desired: 2,
      Current: 2,
      Ready: 2,
      Selector: 'app=web',
    });
  });

  it('prints a pod template with its pod labels', () => {
    const template = object('PodTemplate', {
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    });
    expect(podTemplatePrinter.row(template, 0)).toEqual(['x', 'c', 'nginx', 'app=web']);
  });
});
