/**
 * Hands out distinct integers from a range — IPs as 32-bit numbers, node ports — starting at a random
 * offset (real allocators pick at random so that a reused cluster does not hand out the same values in
 * the same order) and scanning to the first free one.
 */
import { invalid } from '../../status.ts';

export interface RangeAllocator {
  /** A free value, now reserved; undefined when the range is full. */
  allocateNext(): number | undefined;
  /** Reserve a specific value; false if taken or out of range. */
  allocate(value: number): boolean;
  release(value: number): void;
  has(value: number): boolean;
  contains(value: number): boolean;
}

export function createRangeAllocator(first: number, last: number, random: () => number = Math.random): RangeAllocator {
  const used = new Set<number>();
  const size = last - first + 1;
  const contains = (v: number) => Number.isInteger(v) && v >= first && v <= last;
  return {
    allocateNext() {
      if (used.size >= size) return undefined;
      const start = Math.floor(random() * size);
      for (let i = 0; i < size; i++) {
        const v = first + ((start + i) % size);
        if (!used.has(v)) {
          used.add(v);
          return v;
        }
      }
      return undefined;
    },
    allocate(v) {
      if (!contains(v) || used.has(v)) return false;
      used.add(v);
      return true;
    },
    release: (v) => {
      used.delete(v);
    },
    has: (v) => used.has(v),
    contains,
  };
}

export function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** 422 for a service whose requested IP or port cannot be had. */
export function allocationFailed(name: string, field: string, value: unknown, detail: string): Error {
  return invalid({ group: '', kind: 'Service' }, name, [{ type: 'FieldValueInvalid', field, value, detail }]);
}
