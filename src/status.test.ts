import { describe, expect, it } from 'vitest';
import { conflict, invalid, notFound } from './status.ts';

describe('status errors', () => {
  it('words not found like kube-apiserver', () => {
    const e = notFound({ group: 'apps', resource: 'deployments' }, 'web');
    expect(e.status).toMatchObject({ code: 404, reason: 'NotFound', message: 'deployments.apps "web" not found' });
    expect(e.status.details).toEqual({ name: 'web', group: 'apps', kind: 'deployments' });
  });

  it('words a conflict with the retry advice', () => {
    expect(conflict({ group: '', resource: 'pods' }, 'p').message).toBe(
      'Operation cannot be fulfilled on pods "p": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('joins several invalid causes in brackets', () => {
    const e = invalid({ group: 'apps', kind: 'Deployment' }, 'web', [
      { type: 'FieldValueInvalid', field: 'spec.replicas', value: -1, detail: 'must be greater than or equal to 0' },
      { type: 'FieldValueRequired', field: 'spec.selector' },
    ]);
    expect(e.code).toBe(422);
    expect(e.message).toBe(
      'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Required value]',
    );
    expect(e.status.details?.causes?.[1]).toEqual({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: 'spec.selector',
    });
  });
});
