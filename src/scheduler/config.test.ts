import { describe, expect, it } from 'vitest';
import { profilesFromConfiguration } from './config.ts';

describe('KubeSchedulerConfiguration', () => {
  it('builds one profile per entry with plugins disabled and weights set', () => {
    const profiles = profilesFromConfiguration(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 50
profiles:
- schedulerName: default-scheduler
- schedulerName: no-spread
  plugins:
    multiPoint:
      disabled:
      - name: PodTopologySpread
    score:
      enabled:
      - name: NodeResourcesBalancedAllocation
        weight: 5
`);
    expect(profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler', 'no-spread']);
    expect(profiles[0]?.plugins.map((p) => p.name)).toContain('PodTopologySpread');
    expect(profiles[1]?.plugins.map((p) => p.name)).not.toContain('PodTopologySpread');
    expect(profiles[1]?.weights.NodeResourcesBalancedAllocation).toBe(5);
    expect(profiles[1]?.percentageOfNodesToScore).toBe(50);
  });

  it("disables everything with '*' and re-enables by name", () => {
    const [profile] = profilesFromConfiguration(`
kind: KubeSchedulerConfiguration
profiles:
- plugins:
    multiPoint:
      disabled: [{ name: '*' }]
      enabled: [{ name: NodeResourcesFit }]
`);
    expect(profile?.plugins.map((p) => p.name)).toEqual(['NodeResourcesFit']);
  });

  it('rejects unknown plugins', () => {
    expect(() =>
      profilesFromConfiguration('profiles: [{ plugins: { filter: { enabled: [{ name: Nope }] } } }]'),
    ).toThrow(/unknown plugin "Nope"/);
  });
});
