import { describe, expect, it } from 'vitest';
import { compareVersions } from './version-priority.ts';

describe('compareVersions', () => {
  it('orders GA, then beta, then alpha, newest first, then non-Kubernetes versions', () => {
    const sorted = ['v1alpha1', 'foo', 'v1', 'v1beta1', 'v2', 'v1beta2', 'v10', 'bar'].sort(compareVersions);
    expect(sorted).toEqual(['v10', 'v2', 'v1', 'v1beta2', 'v1beta1', 'v1alpha1', 'bar', 'foo']);
  });
});
