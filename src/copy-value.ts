/**
 * A deep copy of JSON-shaped data (plain objects, arrays, primitives) — what the registry copies on
 * every read-modify-write and the local client on every call. structuredClone walks the same data
 * through V8's serializer and measured 6x slower on a Deployment with managedFields (17 µs vs 2.6 µs).
 *
 * The result is what structuredClone would give for such data: own enumerable keys, undefined values
 * kept, never frozen. Anything else (Date, Map, typed arrays, class instances) is handed to
 * structuredClone, so it is copied — or rejected — exactly as before.
 */
export function copyValue<T>(value: T): T {
  if (typeof value !== 'object' || value === null) {
    // Functions and symbols cannot be cloned: let structuredClone throw its DataCloneError.
    return typeof value === 'function' || typeof value === 'symbol' ? structuredClone(value) : value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyValue(value[i]);
    return out as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const inner = copyValue((value as Record<string, unknown>)[key]);
    // A parsed "__proto__" key is data; plain assignment would replace the copy's prototype instead.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: inner, enumerable: true, writable: true, configurable: true });
    else out[key] = inner;
  }
  return out as T;
}
