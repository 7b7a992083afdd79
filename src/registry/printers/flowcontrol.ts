/** Printers for flowcontrol.apiserver.k8s.io FlowSchemas and PriorityLevelConfigurations. */
import type { Cell, Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { optionalInteger, record, records, text } from './fields.ts';

/** The Dangling condition's status says whether the named priority level is missing; '?' until set. */
function missingPriorityLevel(flowSchema: unknown): string {
  const dangling = records(flowSchema, 'status', 'conditions').find((c) => c.type === 'Dangling');
  return typeof dangling?.status === 'string' ? dangling.status : '?';
}

export const flowSchemaPrinter: Printer = {
  columns: [
    nameColumn,
    column('PriorityLevel', 'string', 'The priority level requests matching this schema are assigned to.'),
    column('MatchingPrecedence', 'string', 'Lower values match first.'),
    column('DistinguisherMethod', 'string', 'How matching requests are split into flows: ByUser or ByNamespace.'),
    ageColumn,
    column('MissingPL', 'string', 'Whether the referenced priority level does not exist.'),
  ],
  row(flowSchema, now) {
    const spec = record(flowSchema, 'spec');
    return [
      text(flowSchema, 'metadata', 'name'),
      text(spec, 'priorityLevelConfiguration', 'name'),
      String(optionalInteger(spec, 'matchingPrecedence') ?? 0),
      text(spec, 'distinguisherMethod', 'type') || '<none>',
      age(flowSchema, now),
      missingPriorityLevel(flowSchema),
    ];
  },
};

/** A number, or '<none>' where the level has no such setting (exempt levels, rejecting levels). */
function numberOrNone(value: unknown, ...path: string[]): Cell {
  return optionalInteger(value, ...path) ?? '<none>';
}

export const priorityLevelConfigurationPrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', 'Exempt or Limited.'),
    column('NominalConcurrencyShares', 'string', "This level's share of the server's concurrency limit."),
    column('Queues', 'string', 'Number of queues, when requests queue.'),
    column('HandSize', 'string', 'Queues each flow is shuffle-sharded over.'),
    column('QueueLengthLimit', 'string', 'Maximum requests waiting in one queue.'),
    ageColumn,
  ],
  row(level, now) {
    const limited = record(level, 'spec', 'limited');
    const queuing = record(limited, 'limitResponse', 'queuing');
    return [
      text(level, 'metadata', 'name'),
      text(level, 'spec', 'type'),
      numberOrNone(limited, 'nominalConcurrencyShares'),
      numberOrNone(queuing, 'queues'),
      numberOrNone(queuing, 'handSize'),
      numberOrNone(queuing, 'queueLengthLimit'),
      age(level, now),
    ];
  },
};
