/**
 * Reads the models generated into @kubernetes/client-node (dist/gen/models): for each class its
 * attributeTypeMap (TypeScript name, JSON name, type, format) from the .js file, and from the .d.ts
 * beside it the JSDoc descriptions and which properties are required (`'name': T` vs `'name'?: T`).
 * The files are read as text rather than imported: importing 2,700 modules costs far more than parsing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ModelProperty {
  /** JSON name (the attributeTypeMap `baseName`). */
  name: string;
  /** The generator's type text: `string`, `number`, `Date`, `Array<V1Container>`, `{ [key: string]: string; }`, ... */
  type: string;
  format: string;
  description?: string;
  isRequired: boolean;
}

export interface Model {
  /** Class name, e.g. `V1Pod` or `CoreV1Event`. */
  name: string;
  description?: string;
  properties: ModelProperty[];
}

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

/** The installed package's models directory. */
export function defaultModelsDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@kubernetes/client-node')), 'gen', 'models');
}

/** Every model class in the directory, by class name. */
export function readModels(directory = defaultModelsDirectory()): Map<string, Model> {
  const models = new Map<string, Model>();
  for (const file of readdirSync(directory)) {
    if (!file.endsWith('.js')) continue;
    const name = file.slice(0, -'.js'.length);
    const attributes = parseAttributeTypeMap(readFileSync(join(directory, file), 'utf8'));
    if (!attributes) continue;
    const declaration = parseDeclaration(readFileSync(join(directory, `${name}.d.ts`), 'utf8'), name);
    const properties = attributes.map((a): ModelProperty => {
      const facts = declaration.properties.get(a.name);
      const property: ModelProperty = {
        name: a.baseName,
        type: a.type,
        format: a.format,
        isRequired: facts?.isRequired ?? false,
      };
      if (facts?.description) property.description = facts.description;
      return property;
    });
    const model: Model = { name, properties };
    if (declaration.description) model.description = declaration.description;
    models.set(name, model);
  }
  return models;
}

/** The array literal assigned to `X.attributeTypeMap` is plain JSON in the generated code. */
export function parseAttributeTypeMap(source: string): Attribute[] | undefined {
  const start = source.indexOf('.attributeTypeMap = [');
  if (start < 0) return undefined;
  const open = source.indexOf('[', start);
  const close = source.indexOf('\n];', open);
  if (close < 0) return undefined;
  return JSON.parse(source.slice(open, close + 2)) as Attribute[];
}

interface Declaration {
  description?: string;
  properties: Map<string, { description?: string; isRequired: boolean }>;
}

// A JSDoc block (optional) followed by `'name'?:` or a class declaration.
const member = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?(?:'([^']+)'(\?)?:|export declare class (\w+))/g;

export function parseDeclaration(source: string, className: string): Declaration {
  const declaration: Declaration = { properties: new Map() };
  for (const match of source.matchAll(member)) {
    const [, comment, property, optional, declaredClass] = match;
    const description = comment === undefined ? undefined : jsdocText(comment);
    if (declaredClass === className) {
      if (description) declaration.description = description;
    } else if (property !== undefined) {
      const facts: { description?: string; isRequired: boolean } = { isRequired: optional === undefined };
      if (description) facts.description = description;
      declaration.properties.set(property, facts);
    }
  }
  return declaration;
}

/** The text of a JSDoc body: leading `*` removed, lines joined, the generator's quote escapes undone. */
function jsdocText(body: string): string {
  return body
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trimEnd())
    .filter((line, i, all) => line !== '' || (i > 0 && i < all.length - 1))
    .join('\n')
    .trim()
    .replace(/\\(['"\\])/g, '$1');
}
