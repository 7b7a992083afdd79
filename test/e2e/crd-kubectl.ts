/**
 * kubectl for the CRD end-to-end files: `k(...)` runs one command (a trailing `{ input }` goes to
 * stdin), `ok(...)` also expects it to succeed and returns its stdout.
 */
import { expect } from 'vitest';
import { kubectl } from '../support/kubectl.ts';
import type { Wharf } from '../support/start-wharf.ts';
import type { KubectlVersion } from '../support/tools.ts';

export type KubectlArg = string | { input: string };

export function kubectlOn(wharf: () => Wharf, version: KubectlVersion = '1.35') {
  const k = (...args: KubectlArg[]) => {
    const last = args[args.length - 1];
    const input = typeof last === 'object' ? last.input : undefined;
    const words = args.filter((a): a is string => typeof a === 'string');
    return kubectl(version, words, { kubeconfig: wharf().kubeconfig, ...(input !== undefined ? { input } : {}) });
  };
  const ok = async (...args: KubectlArg[]) => {
    const result = await k(...args);
    expect(result.code, `kubectl ${args.filter((a) => typeof a === 'string').join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  return { k, ok };
}
