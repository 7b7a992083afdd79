/**
 * The layering of STYLE.md §1, checked on every test run: scheduler, controllers, simulated nodes and
 * the client are API clients and never reach into the registry or the store (the local client may
 * import registry *types*: it is the one bridge); storage knows nothing above it; the registry never
 * sees HTTP. Test files are exempt from the client rule, because they wire real implementations
 * together to test against.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = dirname(fileURLToPath(import.meta.url));

interface Edge {
  /** Path of the importing file relative to src/, e.g. `controllers/namespace.ts`. */
  from: string;
  /** A package name (`hono`) or a path relative to src/ (`registry/types.ts`). */
  to: string;
  /** True for our own files (relative imports), false for packages and node: builtins. */
  isLocal: boolean;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|mts)$/.test(entry.name) ? [path] : [];
  });
}

// import … from '…' | export … from '…' | import('…') | import '…'; comments are stripped first.
const importPattern =
  /(?:^|[\s;])(import|export)\s+(type\s+)?[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]/gm;

function importsOf(file: string, text: string): Edge[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const edges: Edge[] = [];
  for (const m of code.matchAll(importPattern)) {
    const specifier = m[3] ?? m[4] ?? m[5];
    if (!specifier) continue;
    const to = specifier.startsWith('.') ? relative(srcDir, resolve(dirname(file), specifier)) : specifier;
    edges.push({ from: relative(srcDir, file), to, isLocal: specifier.startsWith('.'), typeOnly: Boolean(m[2]) });
  }
  return edges;
}

const under = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
const isPackage = (to: string, name: string) => to === name || to.startsWith(`${name}/`);
// Tests and the helpers only tests import (x.test-helpers.ts, testing/) wire real implementations.
const isTest = (path: string) => /\.test(-helpers)?\.ts$/.test(path) || /(^|\/)testing\//.test(path);

interface Rule {
  name: string;
  violates(edge: Edge): boolean;
}

const clientLayers = ['scheduler', 'controllers', 'nodes', 'client'];

const rules: Rule[] = [
  {
    name: 'API clients (scheduler, controllers, nodes, client) do not import registry or storage',
    violates: (e) =>
      clientLayers.some((layer) => under(e.from, layer)) &&
      !isTest(e.from) &&
      (under(e.to, 'registry') || under(e.to, 'storage')) &&
      !(e.from === 'client/local-client.ts' && e.to === 'registry/types.ts'),
  },
  {
    name: 'storage imports nothing above it',
    violates: (e) => under(e.from, 'storage') && e.isLocal && !under(e.to, 'storage'),
  },
  {
    name: 'registry never imports hono or src/api',
    violates: (e) =>
      under(e.from, 'registry') && (isPackage(e.to, 'hono') || isPackage(e.to, '@hono') || under(e.to, 'api')),
  },
];

function violations(edges: readonly Edge[]): string[] {
  return edges.flatMap((e) => rules.filter((r) => r.violates(e)).map((r) => `${e.from} → ${e.to}: ${r.name}`));
}

describe('architecture', () => {
  it('has no forbidden import edge under src/', () => {
    const edges = sourceFiles(srcDir).flatMap((f) => importsOf(f, readFileSync(f, 'utf8')));
    expect(edges.length).toBeGreaterThan(0);
    expect(violations(edges)).toEqual([]);
  });

  it('recognises the edges it forbids, and the one exception', () => {
    const file = join(srcDir, 'controllers/x.ts');
    const edges = importsOf(
      file,
      [
        "import { createRegistry } from '../registry/registry.ts';",
        "import type { Store } from '../storage/types.ts';",
        "// import { ignored } from '../storage/commented-out.ts';",
        "const lazy = await import('../registry/lazy.ts');",
      ].join('\n'),
    );
    expect(edges.map((e) => e.to)).toEqual(['registry/registry.ts', 'storage/types.ts', 'registry/lazy.ts']);
    expect(violations(edges)).toHaveLength(3);
    const local = importsOf(
      join(srcDir, 'client/local-client.ts'),
      "import type { Registry } from '../registry/types.ts';",
    );
    expect(violations(local)).toEqual([]);
    expect(
      violations(importsOf(join(srcDir, 'storage/x.ts'), "import { notFound } from '../status.ts';")),
    ).toHaveLength(1);
    expect(violations(importsOf(join(srcDir, 'storage/x.ts'), "import { open } from 'lmdb';"))).toEqual([]);
    expect(violations(importsOf(join(srcDir, 'registry/x.ts'), "import { Hono } from 'hono';"))).toHaveLength(1);
    expect(
      violations(importsOf(join(srcDir, 'registry/x.ts'), "import { respond } from '../api/respond.ts';")),
    ).toHaveLength(1);
  });
});
