/**
 * What `GET /version` reports. kubectl 1.27–1.35 and helm all talk to wharf, so it claims a version
 * in the middle of that range: every client is within the ±1 minor skew kubectl warns about, or close.
 * `gitVersion` must stay valid semver (helm parses it for chart `kubeVersion` constraints).
 */
import type { VersionInfo } from '../api/version.ts';

export type { VersionInfo };

export const kubernetesMinor = 33;

export const wharfVersion: VersionInfo = {
  major: '1',
  minor: String(kubernetesMinor),
  gitVersion: `v1.${kubernetesMinor}.0-wharf`,
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  // Not Go, but clients print the field; say what actually runs.
  goVersion: `node${process.versions.node}`,
  compiler: 'gc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};
