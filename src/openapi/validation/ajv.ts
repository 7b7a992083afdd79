/**
 * The one ajv configuration wharf validates with, for the wire decoding of built-in kinds
 * (decode-validator.ts) and for CRD schemas (registry/crd/schema-validator.ts): every error is
 * reported, as kube reports every cause rather than the first; strict mode is off because Kubernetes
 * schemas carry x-kubernetes-* keywords ajv does not know; formats are checked, but only the string
 * formats registered here — any other format name passes, as kube ignores formats it does not know.
 */
import { Ajv, type Options } from 'ajv';

export type StringFormat = (value: string) => boolean;

export function createAjv(
  formats: Readonly<Record<string, StringFormat>>,
  options: Pick<Options, 'inlineRefs' | 'verbose'> = {},
): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, ...options });
  // type 'string': a format constrains strings only (a quantity may also be a JSON number).
  for (const [name, validate] of Object.entries(formats)) ajv.addFormat(name, { type: 'string', validate });
  return ajv;
}
