/** An app over the fake registry with a fixed clock, and a terse request helper for tests. */
import type { Hono } from 'hono';
import { type AppOptions, createApp } from '../app.ts';
import type { VersionInfo } from '../version.ts';
import { createFakeRegistry, type FakeRegistry } from './fake-registry.ts';

export const testVersion: VersionInfo = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.0-wharf',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'node',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export interface TestApp {
  app: Hono<never> | ReturnType<typeof createApp>;
  registry: FakeRegistry;
  request(
    method: string,
    path: string,
    o?: { headers?: Record<string, string>; body?: RequestInit['body'] },
  ): Promise<Response>;
}

export function testApp(o: Partial<AppOptions> & { encoded?: boolean } = {}): TestApp {
  const registry = createFakeRegistry({ encoded: o.encoded ?? false });
  const app = createApp({ registry, version: testVersion, now: () => Date.parse('2026-01-01T00:05:00Z'), ...o });
  return {
    app,
    registry,
    request: async (method, path, r = {}) =>
      app.request(path, { method, headers: r.headers ?? {}, body: r.body ?? null }),
  };
}

export const json = (value: unknown) => ({
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value),
});
