/**
 * RFC 6902 JSON Patch: add, remove, replace, move, copy, test. A patch that cannot be applied (missing
 * path, failed test) is 422, a malformed one 400, as kube-apiserver answers.
 */
import { badRequest, statusError } from '../../status.ts';
import { deepEqual } from '../strategies/shared.ts';

type Container = Record<string, unknown> | unknown[];

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function unprocessable(message: string): Error {
  return statusError(422, 'Invalid', message);
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`invalid JSON pointer: ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function child(container: unknown, token: string, pointer: string): unknown {
  if (Array.isArray(container)) {
    const i = arrayIndex(container, token, pointer, false);
    return container[i];
  }
  if (container && typeof container === 'object' && Object.hasOwn(container, token))
    return (container as Record<string, unknown>)[token];
  throw unprocessable(`doc is missing path: "${pointer}": missing value`);
}

function arrayIndex(array: unknown[], token: string, pointer: string, forInsert: boolean): number {
  if (forInsert && token === '-') return array.length;
  if (!/^(0|[1-9]\d*)$/.test(token))
    throw unprocessable(`doc is missing path: "${pointer}": invalid index ${JSON.stringify(token)}`);
  const i = Number(token);
  if (i > array.length || (!forInsert && i === array.length))
    throw unprocessable(`doc is missing path: "${pointer}": index out of range`);
  return i;
}

/** The parent container of `pointer` and the last token. */
function locate(doc: unknown, pointer: string): { parent: Container; token: string } {
  const tokens = parsePointer(pointer);
  const token = tokens.pop();
  if (token === undefined) throw unprocessable('the root of the document cannot be targeted by this operation');
  let parent: unknown = doc;
  for (const t of tokens) parent = child(parent, t, pointer);
  if (!parent || typeof parent !== 'object') throw unprocessable(`doc is missing path: "${pointer}": missing value`);
  return { parent: parent as Container, token };
}

function get(doc: unknown, pointer: string): unknown {
  let current = doc;
  for (const t of parsePointer(pointer)) current = child(current, t, pointer);
  return current;
}

function add(doc: unknown, pointer: string, value: unknown): unknown {
  if (pointer === '') return value;
  const { parent, token } = locate(doc, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, token, pointer, true), 0, value);
  else parent[token] = value;
  return doc;
}

function remove(doc: unknown, pointer: string): unknown {
  const { parent, token } = locate(doc, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, token, pointer, false), 1);
  else {
    if (!Object.hasOwn(parent, token)) throw unprocessable(`Unable to remove nonexistent key: ${token}: missing value`);
    delete parent[token];
  }
  return doc;
}

function asOperations(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  return patch.map((op) => {
    if (
      !op ||
      typeof op !== 'object' ||
      typeof (op as Operation).op !== 'string' ||
      typeof (op as Operation).path !== 'string'
    ) {
      throw badRequest('invalid JSON patch operation: each operation needs "op" and "path"');
    }
    return op as Operation;
  });
}

/** Applies the patch to a copy of `doc`. */
export function applyJSONPatch(doc: unknown, patch: unknown): unknown {
  let result = structuredClone(doc);
  for (const o of asOperations(patch)) {
    const needsValue = o.op === 'add' || o.op === 'replace' || o.op === 'test';
    if (needsValue && !('value' in o)) throw badRequest(`missing value for "${o.op}" operation`);
    switch (o.op) {
      case 'add':
        result = add(result, o.path, structuredClone(o.value));
        break;
      case 'remove':
        result = remove(result, o.path);
        break;
      case 'replace':
        if (o.path === '') result = structuredClone(o.value);
        else {
          get(result, o.path);
          result = add(remove(result, o.path), o.path, structuredClone(o.value));
        }
        break;
      case 'move': {
        const value = get(result, o.from ?? '');
        result = add(remove(result, o.from ?? ''), o.path, value);
        break;
      }
      case 'copy':
        result = add(result, o.path, structuredClone(get(result, o.from ?? '')));
        break;
      case 'test':
        if (!deepEqual(get(result, o.path), o.value))
          throw unprocessable(`testing value ${o.path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${o.op}`);
    }
  }
  return result;
}
