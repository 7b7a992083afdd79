/**
 * The JSONPath subset additionalPrinterColumns and scale paths use (kubectl's "simple" JSONPath):
 * `.a.b`, `.a[0]`, `.a[*].b`, `.a['x.y']`, and filters `[?(@.type=="Ready")]`. Compiled once into
 * steps; evaluation returns every match in order.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; value: string | number | boolean };

export interface JsonPath {
  readonly source: string;
  find(root: unknown): unknown[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Parses `path` (with or without `{}`); throws Error with a reason when it is outside the subset. */
export function compileJsonPath(path: string): JsonPath {
  const source = path.trim().replace(/^\{(.*)\}$/, '$1');
  if (!source.startsWith('.')) throw new Error(`must be a simple json path starting with .`);
  const steps: Step[] = [];
  let rest = source;
  while (rest.length) {
    const parsed = parseStep(rest);
    if (!parsed) throw new Error(`unsupported json path segment ${JSON.stringify(rest)}`);
    steps.push(parsed.step);
    rest = rest.slice(parsed.length);
  }
  return { source: path, find: (root) => evaluate(steps, root) };
}

const filter = /^\[\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)'|(-?\d+(?:\.\d+)?)|(true|false))\)\]/;

/** The first step of `rest` and how many characters it took. */
function parseStep(rest: string): { step: Step; length: number } | undefined {
  const field = rest.match(/^\.([A-Za-z0-9_-]+)/) ?? rest.match(/^\[['"]([^'"]+)['"]\]/);
  if (field) return { step: { kind: 'field', name: field[1] as string }, length: field[0].length };
  const index = rest.match(/^\[(\d+)\]/);
  if (index) return { step: { kind: 'index', index: Number(index[1]) }, length: index[0].length };
  if (rest.startsWith('[*]')) return { step: { kind: 'all' }, length: 3 };
  const m = rest.match(filter);
  if (!m) return undefined;
  const [, fields, dq, sq, num, bool] = m;
  const value = dq ?? sq ?? (num !== undefined ? Number(num) : bool === 'true');
  return { step: { kind: 'filter', path: (fields as string).slice(1).split('.'), value }, length: m[0].length };
}

function evaluate(steps: readonly Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      switch (step.kind) {
        case 'field':
          if (isObject(node) && node[step.name] !== undefined) next.push(node[step.name]);
          break;
        case 'index':
          if (Array.isArray(node) && step.index < node.length) next.push(node[step.index]);
          break;
        case 'all':
          if (Array.isArray(node)) next.push(...node);
          else if (isObject(node)) next.push(...Object.values(node));
          break;
        case 'filter':
          if (Array.isArray(node)) next.push(...node.filter((item) => valueAt(item, step.path) === step.value));
          break;
      }
    }
    current = next;
  }
  return current;
}

function valueAt(node: unknown, path: readonly string[]): unknown {
  let current = node;
  for (const field of path) current = isObject(current) ? current[field] : undefined;
  return current;
}
