/**
 * Encodes the Swagger 2.0 document as the protobuf `openapi.v2.Document` of google/gnostic-models,
 * which client-go parses whatever Content-Type it is sent (field numbers: contract doc Appendix A).
 * JSON maps become repeated Named* entries in document order; every `x-…` key becomes a
 * vendor_extension whose Any.yaml holds the value as JSON text (JSON is YAML).
 */
import type { Schema } from '../schema.ts';
import type { V2Document, V2Operation, V2Parameter, V2PathItem } from '../v2-document.ts';
import { ProtoWriter } from './proto-writer.ts';

const methodFields: ReadonlyArray<[keyof V2PathItem, number]> = [
  ['get', 2],
  ['put', 3],
  ['post', 4],
  ['delete', 5],
  ['patch', 8],
];

/** A `NamedAny` for each `x-` key of a JSON object. */
function vendorExtensions(w: ProtoWriter, field: number, object: object): void {
  for (const [name, value] of Object.entries(object)) {
    if (!name.startsWith('x-') || value === undefined) continue;
    w.message(field, (named) => {
      named.string(1, name);
      named.message(2, (any) => any.string(2, JSON.stringify(value)));
    });
  }
}

function writeAny(w: ProtoWriter, field: number, value: unknown): void {
  w.message(field, (any) => any.string(2, JSON.stringify(value)));
}

export function writeSchema(w: ProtoWriter, schema: Schema): void {
  w.string(1, schema.$ref);
  w.string(2, schema.format);
  w.string(4, schema.description);
  if (schema.default !== undefined) writeAny(w, 5, schema.default);
  w.strings(19, schema.required);
  for (const value of schema.enum ?? []) writeAny(w, 20, value);
  const additional = schema.additionalProperties;
  if (additional !== undefined) {
    w.message(21, (item) => {
      if (typeof additional === 'boolean') item.bool(2, additional);
      else item.message(1, (s) => writeSchema(s, additional));
    });
  }
  if (schema.type) w.message(22, (type) => type.strings(1, [schema.type ?? '']));
  const items = schema.items;
  if (items) w.message(23, (item) => item.message(1, (s) => writeSchema(s, items)));
  for (const part of schema.allOf ?? []) w.message(24, (s) => writeSchema(s, part));
  const properties = schema.properties;
  if (properties) {
    w.message(25, (props) => {
      for (const [name, property] of Object.entries(properties)) {
        props.message(1, (named) => named.string(1, name).message(2, (s) => writeSchema(s, property)));
      }
    });
  }
  vendorExtensions(w, 31, schema);
}

function writeParameter(w: ProtoWriter, p: V2Parameter): void {
  // ParametersItem.parameter → Parameter (oneof body_parameter = 1 | non_body_parameter = 2).
  w.message(1, (parameter) => {
    const schema = p.schema;
    if (p.in === 'body' && schema) {
      parameter.message(1, (body) => {
        body.string(1, p.description).string(2, p.name).string(3, p.in).bool(4, p.required);
        body.message(5, (s) => writeSchema(s, schema));
      });
      return;
    }
    // NonBodyParameter: 3 query (QueryParameterSubSchema), 4 path (PathParameterSubSchema).
    parameter.message(2, (nonBody) => {
      nonBody.message(p.in === 'query' ? 3 : 4, (sub) => {
        sub.bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name);
        if (p.in === 'query') sub.string(6, p.type).bool(20, p.uniqueItems);
        else sub.string(5, p.type).bool(19, p.uniqueItems);
      });
    });
  });
}

function writeOperation(w: ProtoWriter, op: V2Operation): void {
  w.strings(1, op.tags);
  w.string(3, op.description);
  w.string(5, op.operationId);
  w.strings(6, op.produces);
  w.strings(7, op.consumes);
  for (const p of op.parameters) w.message(8, (item) => writeParameter(item, p));
  w.message(9, (responses) => {
    for (const [code, response] of Object.entries(op.responses)) {
      responses.message(1, (named) => {
        named.string(1, code);
        // ResponseValue.response → Response { 1 description, 2 schema (SchemaItem.schema = 1) }.
        named.message(2, (value) =>
          value.message(1, (r) => {
            r.string(1, response.description);
            const schema = response.schema;
            if (schema) r.message(2, (item) => item.message(1, (s) => writeSchema(s, schema)));
          }),
        );
      });
    }
  });
  w.strings(10, op.schemes);
  vendorExtensions(w, 13, op);
}

/** The gnostic protobuf bytes of a Swagger 2.0 document. */
export function encodeGnosticDocument(document: V2Document): Uint8Array {
  const w = new ProtoWriter();
  w.string(1, document.swagger);
  w.message(2, (info) => info.string(1, document.info.title).string(2, document.info.version));
  w.message(8, (paths) => {
    for (const [path, item] of Object.entries(document.paths)) {
      paths.message(2, (named) => {
        named.string(1, path);
        named.message(2, (pathItem) => {
          for (const [method, field] of methodFields) {
            const op = item[method];
            if (op) pathItem.message(field, (o) => writeOperation(o, op));
          }
        });
      });
    }
  });
  w.message(9, (definitions) => {
    for (const [name, schema] of Object.entries(document.definitions)) {
      definitions.message(1, (named) => named.string(1, name).message(2, (s) => writeSchema(s, schema)));
    }
  });
  return w.finish();
}
