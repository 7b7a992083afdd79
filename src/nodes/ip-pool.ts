/**
 * Pod IPs from a node's podCIDR (a /24): .1 is the bridge, .2–.254 go to pods, reused once free.
 */
export interface IPPool {
  allocate(): string | undefined;
  release(ip: string): void;
  /** Marks `ip` used (a pod adopted after a restart keeps its address); false if outside the pool. */
  reserve(ip: string): boolean;
}

export function createIPPool(cidr: string): IPPool {
  const prefix = cidr.split('/')[0]?.split('.').slice(0, 3).join('.') ?? '10.244.0';
  const used = new Set<number>();
  let next = 2;
  return {
    allocate() {
      for (let tries = 0; tries < 253; tries++) {
        const host = next;
        next = next >= 254 ? 2 : next + 1;
        if (!used.has(host)) {
          used.add(host);
          return `${prefix}.${host}`;
        }
      }
      return undefined;
    },
    reserve(ip) {
      if (!ip.startsWith(`${prefix}.`)) return false;
      used.add(Number(ip.slice(prefix.length + 1)));
      return true;
    },
    release(ip) {
      if (ip.startsWith(`${prefix}.`)) used.delete(Number(ip.slice(prefix.length + 1)));
    },
  };
}
