/**
 * Sets of field paths, as managedFields store them (fieldsV1): a tree keyed by path elements
 * `f:<field>`, `k:<json of key fields>` (list item by its keys), `v:<json value>` (set item) and
 * `i:<index>`. A node is a member of the set itself when it is a leaf `{}` or carries `.: {}`.
 * Example: `{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{}}}}}` holds
 * `.spec.containers[name="web"]` and `.spec.containers[name="web"].image`.
 */

export class FieldSet {
  isMember = false;
  #children: Map<string, FieldSet> | undefined;
  /** fieldsV1 not yet read into child nodes (a decoded entry is mostly never looked into). */
  #source: Record<string, unknown> | undefined;

  get children(): Map<string, FieldSet> {
    if (!this.#children) {
      this.#children = new Map();
      const source = this.#source;
      if (source) {
        this.#source = undefined;
        for (const element of Object.keys(source)) {
          if (element !== '.') this.#children.set(element, FieldSet.#fromChecked(source[element] as object));
        }
      }
    }
    return this.#children;
  }

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

  // The set algebra below returns sets that share nodes with its inputs, or an input itself when
  // the result equals it, so a write only walks the paths it touched: sets are values once built.

  union(other: FieldSet): FieldSet {
    if (other === this) return this;
    let children: Map<string, FieldSet> | undefined;
    for (const [element, node] of other.children) {
      const mine = this.children.get(element);
      const merged = mine ? mine.union(node) : node;
      if (merged === mine) continue;
      children ??= new Map(this.children);
      children.set(element, merged);
    }
    const isMember = this.isMember || other.isMember;
    if (!children && isMember === this.isMember) return this;
    return FieldSet.#of(isMember, children ?? this.children);
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

  /** Members of this set that are not members of `other` (children left empty are dropped). */
  difference(other: FieldSet): FieldSet {
    const isMember = this.isMember && !other.isMember;
    let children: Map<string, FieldSet> | undefined;
    for (const [element, node] of this.children) {
      const match = other.children.get(element);
      const rest = match ? node.difference(match) : node;
      if (rest === node && !node.isEmpty) continue;
      children ??= new Map(this.children);
      if (rest.isEmpty) children.delete(element);
      else children.set(element, rest);
    }
    if (!children && isMember === this.isMember) return this;
    return FieldSet.#of(isMember, children ?? this.children);
  }

  equals(other: FieldSet): boolean {
    if (this === other) return true;
    if (this.isMember !== other.isMember || this.children.size !== other.children.size) return false;
    for (const [element, node] of this.children) {
      const match = other.children.get(element);
      if (!match || !node.equals(match)) return false;
    }
    return true;
  }

  /** Whether this set is the one a valid fieldsV1 value describes, compared without decoding it. */
  equalsFieldsV1(value: Record<string, unknown>): boolean {
    let count = 0;
    for (const _ in value) count++;
    const hasDot = Object.hasOwn(value, '.');
    if (this.isMember !== (count === 0 || hasDot)) return false;
    if (this.children.size !== count - (hasDot ? 1 : 0)) return false;
    for (const [element, node] of this.children) {
      const inner = value[element];
      if (element === '.' || !inner || typeof inner !== 'object' || !Object.hasOwn(value, element)) return false;
      if (!node.equalsFieldsV1(inner as Record<string, unknown>)) return false;
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
    return FieldSet.decodeFieldsV1(value)?.set;
  }

  /**
   * fromFieldsV1, also saying whether `value` is exactly what toFieldsV1 writes for the set (then a
   * set that no write changed can keep its stored fieldsV1 instead of being encoded again).
   */
  static decodeFieldsV1(value: unknown): { set: FieldSet; isCanonical: boolean } | undefined {
    const check = checkFieldsV1(value);
    if (check === undefined) return undefined;
    return { set: FieldSet.#fromChecked(value as object), isCanonical: check };
  }

  /** `value` passed checkFieldsV1 and must not change while the set is in use: children are read on demand. */
  static #fromChecked(value: object): FieldSet {
    const node = new FieldSet();
    const count = Object.keys(value).length;
    const hasDot = Object.hasOwn(value, '.');
    node.isMember = count === 0 || hasDot;
    if (count > (hasDot ? 1 : 0)) node.#source = value as Record<string, unknown>;
    return node;
  }

  static #of(isMember: boolean, children: ReadonlyMap<string, FieldSet>): FieldSet {
    const set = new FieldSet();
    set.isMember = isMember;
    set.#children = new Map(children);
    return set;
  }
}

/**
 * Whether `value` is a fieldsV1 tree: undefined when it is not, else whether it is canonical —
 * `.` first and only beside children, `{}` as its value, elements in sortedElements order.
 */
function checkFieldsV1(value: unknown): boolean | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  let isCanonical = true;
  let previous: string | undefined;
  let count = 0;
  for (const element in value) {
    if (!Object.hasOwn(value, element)) continue;
    count++;
    const inner = (value as Record<string, unknown>)[element];
    if (element === '.') {
      if (count !== 1 || !isEmptyObject(inner)) isCanonical = false;
      continue;
    }
    // f, k, v, i followed by ':'
    if (element.charCodeAt(1) !== 58 || elementRank(element) === 4) return undefined;
    const child = checkFieldsV1(inner);
    if (child === undefined) return undefined;
    if (!child || (previous !== undefined && compareElements(previous, element) >= 0)) isCanonical = false;
    previous = element;
  }
  if (count === 1 && previous === undefined) isCanonical = false; // a lone '.' is written as {}
  return isCanonical;
}

function isEmptyObject(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const _ in value) return false;
  return true;
}

/** Field names, then keyed items, then values, then indexes; 4 for anything else. */
function elementRank(element: string): number {
  switch (element.charCodeAt(0)) {
    case 102: // f
      return 0;
    case 107: // k
      return 1;
    case 118: // v
      return 2;
    case 105: // i
      return 3;
    default:
      return 4;
  }
}

/** Field names, then keyed items, then values, then indexes (structured-merge-diff's order). */
function compareElements(a: string, b: string): number {
  const rank = elementRank(a) - elementRank(b);
  if (rank !== 0) return rank;
  if (a.charCodeAt(0) === 105) return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedElements(elements: Iterable<string>): string[] {
  return [...elements].sort(compareElements);
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
