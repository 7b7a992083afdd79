/**
 * Sets of field paths, as managedFields store them (fieldsV1): a tree keyed by path elements
 * `f:<field>`, `k:<json of key fields>` (list item by its keys), `v:<json value>` (set item) and
 * `i:<index>`. A node is a member of the set itself when it is a leaf `{}` or carries `.: {}`.
 * Example: `{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{}}}}}` holds
 * `.spec.containers[name="web"]` and `.spec.containers[name="web"].image`.
 */

export class FieldSet {
  isMember = false;
  readonly children = new Map<string, FieldSet>();

  /** The child at `element`, created when missing. */
  child(element: string): FieldSet {
    let node = this.children.get(element);
    if (!node) {
      node = new FieldSet();
      this.children.set(element, node);
    }
    return node;
  }

  get isEmpty(): boolean {
    return !this.isMember && this.children.size === 0;
  }

  /** Drops children that hold nothing; returns whether this node holds nothing. */
  prune(): boolean {
    for (const [element, node] of this.children) if (node.prune()) this.children.delete(element);
    return this.isEmpty;
  }

  clone(): FieldSet {
    const copy = new FieldSet();
    copy.isMember = this.isMember;
    for (const [element, node] of this.children) copy.children.set(element, node.clone());
    return copy;
  }

  union(other: FieldSet): FieldSet {
    const result = this.clone();
    addInto(result, other);
    return result;
  }

  intersection(other: FieldSet): FieldSet {
    const result = new FieldSet();
    result.isMember = this.isMember && other.isMember;
    for (const [element, node] of this.children) {
      const match = other.children.get(element);
      if (!match) continue;
      const common = node.intersection(match);
      if (!common.isEmpty) result.children.set(element, common);
    }
    return result;
  }

  /** Members of this set that are not members of `other`. */
  difference(other: FieldSet): FieldSet {
    const result = new FieldSet();
    result.isMember = this.isMember && !other.isMember;
    for (const [element, node] of this.children) {
      const match = other.children.get(element);
      const rest = match ? node.difference(match) : node.clone();
      if (!rest.isEmpty) result.children.set(element, rest);
    }
    return result;
  }

  equals(other: FieldSet): boolean {
    if (this.isMember !== other.isMember || this.children.size !== other.children.size) return false;
    for (const [element, node] of this.children) {
      const match = other.children.get(element);
      if (!match || !node.equals(match)) return false;
    }
    return true;
  }

  /** Every member path, in fieldsV1 order, e.g. `[['f:spec', 'f:replicas']]`. */
  paths(prefix: string[] = []): string[][] {
    const out: string[][] = [];
    if (this.isMember) out.push(prefix);
    for (const element of sortedElements(this.children.keys())) {
      out.push(...(this.children.get(element) as FieldSet).paths([...prefix, element]));
    }
    return out;
  }

  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.isMember && this.children.size > 0) out['.'] = {};
    for (const element of sortedElements(this.children.keys())) {
      out[element] = (this.children.get(element) as FieldSet).toFieldsV1();
    }
    return out;
  }

  /** The set a fieldsV1 value describes; undefined when it is not one. */
  static fromFieldsV1(value: unknown): FieldSet | undefined {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const node = new FieldSet();
    const entries = Object.entries(value);
    if (entries.length === 0) node.isMember = true;
    for (const [element, inner] of entries) {
      if (element === '.') {
        node.isMember = true;
        continue;
      }
      if (!/^[fkvi]:/.test(element)) return undefined;
      const child = FieldSet.fromFieldsV1(inner);
      if (!child) return undefined;
      node.children.set(element, child);
    }
    return node;
  }
}

function addInto(target: FieldSet, source: FieldSet): void {
  if (source.isMember) target.isMember = true;
  for (const [element, node] of source.children) addInto(target.child(element), node);
}

const elementRank: Readonly<Record<string, number>> = { f: 0, k: 1, v: 2, i: 3 };

/** Field names, then keyed items, then values, then indexes (structured-merge-diff's order). */
function sortedElements(elements: Iterable<string>): string[] {
  return [...elements].sort((a, b) => {
    const rank = (elementRank[a[0] ?? ''] ?? 4) - (elementRank[b[0] ?? ''] ?? 4);
    if (rank !== 0) return rank;
    if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/**
 * A path as conflict messages print it: `.spec.replicas`,
 * `.spec.template.spec.containers[name="web"].image`, `.metadata.finalizers[="a"]`, `.args[0]`.
 */
export function formatPath(path: readonly string[]): string {
  let out = '';
  for (const element of path) {
    const body = element.slice(2);
    switch (element[0]) {
      case 'f':
        out += `.${body}`;
        break;
      case 'k': {
        const keys = JSON.parse(body) as Record<string, unknown>;
        out += `[${Object.entries(keys)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
        break;
      }
      case 'v':
        out += `[=${body}]`;
        break;
      default:
        out += `[${body}]`;
    }
  }
  return out;
}
