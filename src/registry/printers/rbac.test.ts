import { describe, expect, it } from 'vitest';
import { createdAtPrinter } from './created-at.ts';
import { roleBindingPrinter } from './rbac.ts';
import { cells, object } from './testing.ts';

describe('role binding printer', () => {
  it('prints the role and subjects by kind', () => {
    const binding = object('RoleBinding', {
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'Group', name: 'devs' },
        { kind: 'User', name: 'bob' },
        { kind: 'ServiceAccount', namespace: 'ci', name: 'builder' },
      ],
    });
    expect(cells(roleBindingPrinter, binding)).toMatchObject({
      Role: 'ClusterRole/view',
      Users: 'alice, bob',
      Groups: 'devs',
      ServiceAccounts: 'ci:builder',
    });
  });
});

describe('default table', () => {
  it('prints Created At as an RFC 3339 UTC timestamp', () => {
    const role = object('Role', {}, { name: 'reader', creationTimestamp: '2024-06-01T10:20:30+02:00' });
    expect(createdAtPrinter.row(role, 0)).toEqual(['reader', '2024-06-01T08:20:30Z']);
    expect(createdAtPrinter.columns[1]).toMatchObject({ name: 'Created At', type: 'date' });
  });
});
