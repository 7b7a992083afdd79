/** Printers for namespaces and the configuration kinds: ConfigMap, Secret, ServiceAccount. */
import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { keyCount, record, records, text } from './fields.ts';

export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'string', 'Phase of the namespace: Active or Terminating.'), ageColumn],
  row(namespace, now) {
    // The namespace strategy sets phase Active on create; a bare manifest has none yet.
    return [text(namespace, 'metadata', 'name'), text(namespace, 'status', 'phase') || 'Active', age(namespace, now)];
  },
};

export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'string', 'Number of keys in data and binaryData.'), ageColumn],
  row(configMap, now) {
    return [
      text(configMap, 'metadata', 'name'),
      keyCount(configMap, 'data') + keyCount(configMap, 'binaryData'),
      age(configMap, now),
    ];
  },
};

export const secretPrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', 'The secret type, e.g. Opaque or kubernetes.io/tls.'),
    column('Data', 'string', 'Number of keys in data.'),
    ageColumn,
  ],
  row(secret, now) {
    return [
      text(secret, 'metadata', 'name'),
      // Secrets without a type are stored as Opaque.
      text(secret, 'type') || 'Opaque',
      // stringData is merged into data on write, so a manifest's keys are the union of both.
      new Set([...Object.keys(record(secret, 'data')), ...Object.keys(record(secret, 'stringData'))]).size,
      age(secret, now),
    ];
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, column('Secrets', 'string', 'Number of secrets listed on the service account.'), ageColumn],
  row(serviceAccount, now) {
    return [
      text(serviceAccount, 'metadata', 'name'),
      records(serviceAccount, 'secrets').length,
      age(serviceAccount, now),
    ];
  },
};
