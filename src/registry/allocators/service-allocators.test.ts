import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../types/meta.ts';
import { admin, newTestRegistry, statusOf } from '../testing/test-registry.ts';

const service = (name: string, spec: object = {}) => ({ metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });
const specOf = (o: KubeObject) =>
  o.spec as {
    clusterIP: string;
    clusterIPs: string[];
    ports: { nodePort?: number; targetPort?: number; protocol?: string }[];
  };

describe('service allocation', () => {
  it('gives distinct cluster IPs in 10.96.0.0/12, never 10.96.0.1, with defaults', async () => {
    const t = await newTestRegistry();
    const ips = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const s = specOf(await t.create('services', service(`s${i}`)));
      expect(s.clusterIPs).toEqual([s.clusterIP]);
      ips.add(s.clusterIP);
    }
    expect(ips.size).toBe(20);
    expect(ips.has('10.96.0.1')).toBe(false);
    for (const ip of ips) expect(ip).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    const first = await t.create('services', service('defaults'));
    expect(first.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
    expect(specOf(first).ports[0]).toMatchObject({ protocol: 'TCP', targetPort: 80 });
  });

  it('refuses a taken IP or node port with 422, and frees them on delete', async () => {
    const t = await newTestRegistry();
    const def = t.def('services');
    await t.create(
      'services',
      service('a', { clusterIP: '10.96.5.5', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
    );
    const ip = await statusOf(t.create('services', service('b', { clusterIP: '10.96.5.5' })));
    expect(ip.code).toBe(422);
    expect(ip.message).toContain('provided IP is already allocated');
    const port = await statusOf(
      t.create('services', service('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })),
    );
    expect(port.code).toBe(422);
    // The refused create of c must not have kept the IP it was given.
    await t.registry.delete(def, 'default', 'a', {}, admin);
    expect(specOf(await t.create('services', service('b', { clusterIP: '10.96.5.5' }))).clusterIP).toBe('10.96.5.5');
    const c = specOf(
      await t.create('services', service('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })),
    );
    expect(c.ports[0]?.nodePort).toBe(30080);
  });

  it('allocates node ports for NodePort services and allows headless ones', async () => {
    const t = await newTestRegistry();
    const np = specOf(await t.create('services', service('np', { type: 'LoadBalancer' })));
    expect(np.ports[0]?.nodePort).toBeGreaterThanOrEqual(30000);
    expect(np.ports[0]?.nodePort).toBeLessThanOrEqual(32767);
    const headless = specOf(await t.create('services', service('h', { clusterIP: 'None' })));
    expect(headless.clusterIP).toBe('None');
  });

  it('keeps clusterIP immutable', async () => {
    const t = await newTestRegistry();
    const created = await t.create('services', service('a'));
    const s = await statusOf(
      t.registry.patch(t.def('services'), 'default', 'a', 'merge', { spec: { clusterIP: '10.96.9.9' } }, admin),
    );
    expect(s.code).toBe(422);
    expect(s.message).toContain('may not change once set');
    const replaced = await t.registry.update(
      t.def('services'),
      'default',
      'a',
      { ...created, spec: { ports: [{ port: 81 }] } },
      admin,
    );
    expect(specOf(replaced.object).clusterIP).toBe(specOf(created).clusterIP);
  });

  it('rebuilds allocations from storage at start', async () => {
    const t = await newTestRegistry();
    await t.create('services', service('a', { clusterIP: '10.96.7.7' }));
    const restarted = await newTestRegistry({ store: t.store });
    expect((await statusOf(restarted.create('services', service('b', { clusterIP: '10.96.7.7' })))).code).toBe(422);
    expect((await statusOf(restarted.create('services', service('c', { clusterIP: '10.96.0.1' })))).code).toBe(422);
  });
});
