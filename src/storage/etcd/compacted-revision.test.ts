import { describe, expect, it } from 'vitest';
import { findCompactedRevision } from './compacted-revision.ts';

describe('findCompactedRevision', () => {
  const readableFrom = (point: number) => {
    const asked: number[] = [];
    const isReadable = async (revision: number) => {
      asked.push(revision);
      return revision >= point;
    };
    return { isReadable, asked };
  };

  it.each([
    [1, 1, 100],
    [2, 1, 100],
    [57, 1, 100],
    [100, 1, 100],
    [40, 40, 100],
    [41, 40, 41],
  ])('finds point %i searching from %i with current %i', async (point, lowest, current) => {
    const { isReadable } = readableFrom(point);
    expect(await findCompactedRevision(isReadable, lowest, current)).toBe(point);
  });

  it('asks once when the lowest candidate is still readable', async () => {
    const { isReadable, asked } = readableFrom(10);
    await findCompactedRevision(isReadable, 10, 1_000_000);
    expect(asked).toEqual([10]);
  });

  it('needs about log2 of the span', async () => {
    const { isReadable, asked } = readableFrom(777_777);
    expect(await findCompactedRevision(isReadable, 1, 1_000_000)).toBe(777_777);
    expect(asked.length).toBeLessThanOrEqual(22);
  });
});
