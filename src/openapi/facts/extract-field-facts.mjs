// One-off extractor (not part of the build): reads the Go API types of k8s.io/api, k8s.io/apimachinery
// (meta/v1) and k8s.io/apiextensions-apiserver (apiextensions/v1) from git checkouts and writes the facts
// the client-node models lack to field-facts.json: patch strategy and merge key (struct tags), list
// type / map keys / map type (+listType, +listMapKey, +mapType, +structType markers), enum values of
// +enum string types, and which fields hold a Quantity. Only stable group versions are read: those are
// what wharf serves. Run: node src/openapi/facts/extract-field-facts.mjs <api> <apimachinery> <apiextensions>
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [apiRepo, machineryRepo, extensionsRepo] = process.argv.slice(2);
if (!apiRepo || !machineryRepo || !extensionsRepo)
  throw new Error('usage: extract-field-facts.mjs <api> <apimachinery> <apiextensions>');

const git = (repo, ...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const stable = /^(?:[a-z]+\/)?v\d+$/;

/** [repo, dir in repo, Go import path, definition prefix] for every package to read. */
const packages = [];
for (const file of git(apiRepo, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n')) {
  const match = /^([a-z]+\/v\d+)\/types\.go$/.exec(file);
  if (match?.[1] && stable.test(match[1]) && !match[1].startsWith('admission/')) {
    const dir = match[1];
    packages.push([apiRepo, dir, `k8s.io/api/${dir}`, `io.k8s.api.${dir.replace('/', '.')}`]);
  }
}
packages.push([
  machineryRepo,
  'pkg/apis/meta/v1',
  'k8s.io/apimachinery/pkg/apis/meta/v1',
  'io.k8s.apimachinery.pkg.apis.meta.v1',
]);
packages.push([
  extensionsRepo,
  'pkg/apis/apiextensions/v1',
  'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
]);

/** Go files of a package, without tests and generated code. */
function goFiles(repo, dir) {
  return git(repo, 'ls-tree', '--name-only', 'HEAD', `${dir}/`)
    .split('\n')
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !/generated|zz_/.test(f));
}

const enumsByPackage = new Map(); // import path → Map<type, values[]>
const parsed = []; // { pkg, prefix, imports, types: [{ name, markers, fields: [...] }] }

for (const [repo, dir, importPath, prefix] of packages) {
  const enums = new Map();
  const enumTypes = new Set();
  enumsByPackage.set(importPath, enums);
  for (const file of goFiles(repo, dir)) {
    const text = git(repo, 'show', `HEAD:${file}`);
    const lines = text.split('\n');
    const imports = new Map();
    for (const m of text.matchAll(/^\s*(?:(\w+)\s+)?"([^"]+)"\s*$/gm)) {
      const path = m[2];
      imports.set(m[1] ?? path.slice(path.lastIndexOf('/') + 1), path);
    }
    const types = [];
    let comments = [];
    let current;
    for (const line of lines) {
      const trimmed = line.trim();
      if (trimmed.startsWith('//')) {
        comments.push(trimmed.slice(2).trim());
        continue;
      }
      const typeDecl = /^type (\w+) (struct \{|string|\w[\w.[\]]*)/.exec(line);
      if (typeDecl) {
        const [, name, kind] = typeDecl;
        if (kind === 'string' && comments.includes('+enum')) enumTypes.add(name);
        if (kind === 'struct {') {
          current = { name, markers: comments, fields: [] };
          types.push(current);
        }
        comments = [];
        continue;
      }
      if (current && line === '}') current = undefined;
      const field = current && /^\t(\w+)\s+([^`\s]+)\s+`([^`]*)`/.exec(line);
      if (field) {
        const [, , goType, tag] = field;
        const json = /json:"([^",]*)/.exec(tag)?.[1];
        if (json) current.fields.push({ json, goType, tag, markers: comments });
      }
      const constant = /^\t(\w+)\s+(\w+)\s*=\s*"([^"]*)"/.exec(line);
      if (constant) {
        const [, , type, value] = constant;
        const list = enums.get(type) ?? [];
        list.push(value);
        enums.set(type, list);
      }
      if (trimmed !== '' || !current) comments = [];
    }
    parsed.push({ importPath, prefix, imports, types });
  }
  // Constants of a type may sit in another file than its +enum declaration: filter per package.
  for (const name of [...enums.keys()]) if (!enumTypes.has(name)) enums.delete(name);
}

function marker(markers, name) {
  const values = markers.filter((m) => m.startsWith(`+${name}=`)).map((m) => m.slice(name.length + 2).trim());
  return values;
}

function resolveEnum(p, goType) {
  const bare = goType.replace(/^[*[\]]+/, '');
  const dot = bare.indexOf('.');
  const pkg = dot < 0 ? p.importPath : p.imports.get(bare.slice(0, dot));
  const values = enumsByPackage.get(pkg ?? '')?.get(dot < 0 ? bare : bare.slice(dot + 1));
  return values && values.length > 0 ? [...new Set(values)].sort() : undefined;
}

const definitions = {};
for (const p of parsed) {
  for (const t of p.types) {
    const facts = {};
    const structType = marker(t.markers, 'structType')[0] ?? marker(t.markers, 'mapType')[0];
    if (structType) facts[''] = { mt: structType };
    for (const f of t.fields) {
      const entry = {};
      const strategy = /patchStrategy:"([^"]+)"/.exec(f.tag)?.[1] ?? marker(f.markers, 'patchStrategy')[0];
      const mergeKey = /patchMergeKey:"([^"]+)"/.exec(f.tag)?.[1] ?? marker(f.markers, 'patchMergeKey')[0];
      if (strategy) entry.ps = strategy;
      if (mergeKey) entry.pk = mergeKey;
      const listType = marker(f.markers, 'listType')[0];
      if (listType) entry.lt = listType;
      const mapKeys = marker(f.markers, 'listMapKey');
      if (mapKeys.length > 0) entry.lk = mapKeys;
      const mapType = marker(f.markers, 'mapType')[0];
      if (mapType) entry.mt = mapType;
      const values = resolveEnum(p, f.goType);
      if (values) entry.enum = values;
      if (/(^|\.)Quantity$/.test(f.goType.replace(/^\*/, ''))) entry.q = 'value';
      else if (/(^|\.)ResourceList$|map\[[^\]]+\](?:resource\.)?Quantity$/.test(f.goType)) entry.q = 'map';
      if (Object.keys(entry).length > 0) facts[f.json] = entry;
    }
    if (Object.keys(facts).length > 0) definitions[`${p.prefix}.${t.name}`] = facts;
  }
}

const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)));
const out = {
  source: {
    'k8s.io/api': git(apiRepo, 'rev-parse', 'HEAD').trim(),
    'k8s.io/apimachinery': git(machineryRepo, 'rev-parse', 'HEAD').trim(),
    'k8s.io/apiextensions-apiserver': git(extensionsRepo, 'rev-parse', 'HEAD').trim(),
    keys: "definition → JSON field ('' = the type itself) → ps patchStrategy, pk patchMergeKey, lt listType, lk listMapKeys, mt mapType, enum values, q quantity ('value' | 'map')",
  },
  definitions: sorted,
};
const target = join(dirname(fileURLToPath(import.meta.url)), 'field-facts.json');
writeFileSync(target, `${JSON.stringify(out, null, 0).replace(/\],"/g, '],\n"').replace(/\},"/g, '},\n"')}\n`);
console.log(`${Object.keys(sorted).length} definitions → ${target}`);
