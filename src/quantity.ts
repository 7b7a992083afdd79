/**
 * resource.Quantity as numbers: `100m` CPU, `128Mi` memory, `1e3`, `1.5G`.
 *
 * Scheduling and the simulated kubelet compare quantities, so they are parsed once into a plain number in
 * the base unit (cores, bytes). CPU is usually handled in millicores (`toMilli`) to keep integers, as the
 * scheduler does.
 */

const binarySuffixes: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const decimalSuffixes: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const quantityPattern = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** True when `text` is a valid Quantity string. */
export function isQuantity(text: unknown): boolean {
  return typeof text === 'string' ? quantityPattern.test(text.trim()) : typeof text === 'number';
}

/** The quantity in its base unit; throws on malformed input. Numbers pass through. */
export function parseQuantity(text: string | number): number {
  if (typeof text === 'number') return text;
  const match = quantityPattern.exec(text.trim());
  if (!match) throw new Error(`quantities must match the regular expression '${quantityPattern.source}'`);
  const [, digits, exponent, suffix] = match;
  const value = Number(digits);
  if (exponent) return value * 10 ** Number(exponent.slice(1));
  if (suffix && suffix in binarySuffixes) return value * (binarySuffixes[suffix] as number);
  return value * (decimalSuffixes[suffix ?? ''] as number);
}

/** The quantity ×1000, rounded up as Kubernetes' MilliValue does (CPU in millicores). */
export function toMilli(text: string | number | undefined): number {
  if (text === undefined) return 0;
  return Math.ceil(Math.round(parseQuantity(text) * 1e9) / 1e6);
}

/** The quantity rounded up to an integer (memory in bytes, pods, extended resources). */
export function toInteger(text: string | number | undefined): number {
  if (text === undefined) return 0;
  return Math.ceil(parseQuantity(text) - 1e-9);
}
