import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.ts';

describe('eventually', () => {
  it('returns the first value fn produces without throwing', async () => {
    let calls = 0;
    const value = await eventually(
      () => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        return calls;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe(3);
  });

  it('rethrows the last error with what was awaited once the timeout passes', async () => {
    await expect(
      eventually(
        () => {
          throw new Error('replicas 1 != 2');
        },
        { timeoutMs: 5, intervalMs: 1, what: 'deployment ready' },
      ),
    ).rejects.toThrow(/deployment ready: still failing after \d+ ms: replicas 1 != 2/);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(eventually(() => Promise.reject(new Error('x')), { signal: controller.signal })).rejects.toThrow(/x/);
  });
});
