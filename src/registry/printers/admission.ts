import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { records, text } from './fields.ts';

/** Mutating and validating webhook configurations: how many webhooks each holds. */
export const webhookConfigurationPrinter: Printer = {
  columns: [nameColumn, column('Webhooks', 'integer', 'Number of webhooks in the configuration.'), ageColumn],
  row(configuration, now) {
    return [
      text(configuration, 'metadata', 'name'),
      records(configuration, 'webhooks').length,
      age(configuration, now),
    ];
  },
};
