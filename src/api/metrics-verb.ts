import type { Verb } from '../registry/types.ts';
import { mediaTypeOf } from './body/decode-body.ts';

/** apiserver's `verb` metric label: the HTTP method, except LIST, WATCH, APPLY and DELETECOLLECTION. */
export function metricsVerb(verb: Verb, contentType: string | undefined): string {
  switch (verb) {
    case 'get':
      return 'GET';
    case 'list':
      return 'LIST';
    case 'watch':
      return 'WATCH';
    case 'create':
      return 'POST';
    case 'update':
      return 'PUT';
    case 'patch':
      return mediaTypeOf(contentType) === 'application/apply-patch+yaml' ? 'APPLY' : 'PATCH';
    case 'delete':
      return 'DELETE';
    case 'deletecollection':
      return 'DELETECOLLECTION';
  }
}
