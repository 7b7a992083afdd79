/**
 * The served OpenAPI documents, built on first request and kept in memory until the resource table
 * (CRDs) or the catalog's custom schemas change: /openapi/v2 as JSON and as gnostic protobuf, the
 * /openapi/v3 index and one v3 document per group version. Nothing is built when the server starts:
 * the catalog alone takes a few hundred milliseconds, and /readyz must answer within one second.
 */
import type { ResourceDef, ResourceTable } from '../registry/types.ts';
import { type Catalog, getCatalog } from './catalog.ts';
import { encodeGnosticDocument } from './gnostic/encode-document.ts';
import { type ServedDocument, servedDocument } from './served-document.ts';
import { buildV2Document } from './v2-document.ts';
import { buildV3Document, type DocumentInfo } from './v3-document.ts';

export const v2ProtobufContentType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

export interface OpenApiDocuments {
  v2Json(): ServedDocument;
  v2Protobuf(): ServedDocument;
  v3Index(): ServedDocument;
  /** `api/v1` or `apis/apps/v1`; undefined when no resource is served there. */
  v3GroupVersion(path: string): ServedDocument | undefined;
}

/** `api/v1`, `apis/apps/v1`: the index key of a group version. */
export function groupVersionPath(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `apis/${def.group}/${def.version}` : `api/${def.version}`;
}

interface Built {
  generation: number;
  v2?: { json: ServedDocument; protobuf: ServedDocument };
  index?: ServedDocument;
  groupVersions: Map<string, ServedDocument>;
}

export function createOpenApiDocuments(
  resources: ResourceTable,
  info: DocumentInfo,
  catalog: () => Catalog = getCatalog,
): OpenApiDocuments {
  let built: Built | undefined;
  resources.onChange(() => {
    built = undefined;
  });
  const current = (): Built => {
    const generation = catalog().generation;
    if (built?.generation !== generation) built = { generation, groupVersions: new Map() };
    return built;
  };
  const byGroupVersion = (): Map<string, ResourceDef[]> => {
    const groups = new Map<string, ResourceDef[]>();
    for (const def of resources.all()) {
      const key = groupVersionPath(def);
      groups.set(key, [...(groups.get(key) ?? []), def]);
    }
    return groups;
  };
  const v2 = () => {
    const state = current();
    if (!state.v2) {
      const document = buildV2Document(catalog(), resources.all(), info);
      const json = JSON.stringify(document);
      // Both forms carry the ETag of the JSON spec, as kube-openapi's do.
      state.v2 = {
        json: servedDocument(json, 'application/json'),
        protobuf: servedDocument(encodeGnosticDocument(document), v2ProtobufContentType, json),
      };
    }
    return state.v2;
  };
  const groupVersion = (path: string): ServedDocument | undefined => {
    const state = current();
    const hit = state.groupVersions.get(path);
    if (hit) return hit;
    const defs = byGroupVersion().get(path);
    if (!defs) return undefined;
    const document = servedDocument(JSON.stringify(buildV3Document(catalog(), defs, info)), 'application/json');
    state.groupVersions.set(path, document);
    return document;
  };
  return {
    v2Json: () => v2().json,
    v2Protobuf: () => v2().protobuf,
    v3GroupVersion: groupVersion,
    v3Index() {
      const state = current();
      if (!state.index) {
        const keys = [...byGroupVersion().keys()].sort((a, b) =>
          a.startsWith('api/') === b.startsWith('api/') ? a.localeCompare(b) : a.startsWith('api/') ? -1 : 1,
        );
        const paths = Object.fromEntries(
          keys.map((key) => [key, { serverRelativeURL: `/openapi/v3/${key}?hash=${groupVersion(key)?.hash ?? ''}` }]),
        );
        state.index = servedDocument(JSON.stringify({ paths }), 'application/json');
      }
      return state.index;
    },
  };
}
