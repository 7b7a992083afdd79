/**
 * Shared by the controllers-*.test.ts files: kubectl calls that must succeed, JSON reads, and a poll
 * that waits for what the controllers do in their own time (real time here: `wharf up` runs them).
 */
import { expect } from 'vitest';
import { kubectl } from '../support/kubectl.ts';
import type { KubectlVersion } from '../support/tools.ts';
import { discoveryTrouble } from './versions.ts';

export interface Kubectl {
  /** Runs kubectl; fails the test on a non-zero exit or discovery trouble; returns stdout. */
  ok(...args: string[]): Promise<string>;
  /** stdin, then args. */
  okWith(input: string, ...args: string[]): Promise<string>;
  json<T>(...args: string[]): Promise<T>;
  /** Runs kubectl and returns everything, whatever the exit code. */
  raw(...args: string[]): ReturnType<typeof kubectl>;
  /** stdin, then args; whatever the exit code. */
  rawWith(input: string, ...args: string[]): ReturnType<typeof kubectl>;
}

export function kubectlFor(version: KubectlVersion, kubeconfig: () => string, timeoutMs = 90_000): Kubectl {
  const raw = (args: string[], input?: string) =>
    kubectl(version, args, { kubeconfig: kubeconfig(), timeoutMs, ...(input === undefined ? {} : { input }) });
  const okWith = async (input: string | undefined, args: string[]) => {
    const result = await raw(args, input);
    expect(result.stderr, `kubectl ${args.join(' ')}`).not.toMatch(discoveryTrouble);
    expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  return {
    ok: (...args) => okWith(undefined, args),
    okWith: (input, ...args) => okWith(input, args),
    json: async <T>(...args: string[]) => JSON.parse(await okWith(undefined, [...args, '-o', 'json'])) as T,
    raw: (...args) => raw(args),
    rawWith: (input, ...args) => raw(args, input),
  };
}

/** Retries `check` every `intervalMs` until it passes or `timeoutMs` has passed; returns its result. */
export async function until<T>(check: () => Promise<T>, timeoutMs: number, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

export interface PodSummary {
  metadata: { name: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

export const isReady = (pod: PodSummary) =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
