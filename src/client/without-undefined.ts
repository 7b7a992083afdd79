/** A copy of `o` without its undefined fields, so optional options stay absent rather than `undefined`. */
export function withoutUndefined<O extends object>(o: O): O {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as O;
}
