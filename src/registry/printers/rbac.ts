/** Printers for rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding (roles use the default table). */
import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn, wide } from './columns.ts';
import { records, text } from './fields.ts';

/** Role, Age and the wide subject lists; the same columns for both binding kinds. */
export const roleBindingPrinter: Printer = {
  columns: [
    nameColumn,
    column('Role', 'string', 'The role granted, as Kind/name.'),
    ageColumn,
    wide('Users', 'string', 'Users the binding grants the role to.'),
    wide('Groups', 'string', 'Groups the binding grants the role to.'),
    wide('ServiceAccounts', 'string', 'Service accounts the binding grants the role to, as namespace:name.'),
  ],
  row(binding, now) {
    const users: string[] = [];
    const groups: string[] = [];
    const serviceAccounts: string[] = [];
    for (const subject of records(binding, 'subjects')) {
      const name = text(subject, 'name');
      const kind = text(subject, 'kind');
      if (kind === 'User') users.push(name);
      else if (kind === 'Group') groups.push(name);
      else if (kind === 'ServiceAccount') serviceAccounts.push(`${text(subject, 'namespace')}:${name}`);
    }
    return [
      text(binding, 'metadata', 'name'),
      `${text(binding, 'roleRef', 'kind')}/${text(binding, 'roleRef', 'name')}`,
      age(binding, now),
      users.join(', '),
      groups.join(', '),
      serviceAccounts.join(', '),
    ];
  },
};
