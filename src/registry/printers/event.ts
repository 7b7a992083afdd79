/**
 * Printers for events. core/v1 and events.k8s.io/v1 events are one stored resource and kube prints
 * both with the same columns, so the events.k8s.io shape is first read into the core field names.
 */
import type { Cell, Printer } from '../types.ts';
import { since } from './age.ts';
import { column, nameColumn, wide } from './columns.ts';
import { type Fields, integer, isRecord, record, text } from './fields.ts';

/** The fields the printer reads, in core/v1 terms. */
interface EventView {
  name: string;
  type: string;
  reason: string;
  message: string;
  involvedObject: Fields;
  source: Fields;
  reportingController: string;
  reportingInstance: string;
  firstTimestamp: string;
  lastTimestamp: string;
  eventTime: string;
  count: number;
  series: Fields | undefined;
}

const columns = [
  column('Last Seen', 'string', 'How long ago the event last happened.'),
  column('Type', 'string', 'Normal or Warning.'),
  column('Reason', 'string', 'A short machine-readable cause, e.g. Scheduled or BackOff.'),
  column('Object', 'string', 'The object the event is about, as kind/name.'),
  wide('Subobject', 'string', 'The part of the object, e.g. spec.containers{app}.'),
  wide('Source', 'string', 'The component (and host) that reported the event.'),
  column('Message', 'string', 'The human-readable description.'),
  wide('First Seen', 'string', 'How long ago the event first happened.'),
  wide('Count', 'string', 'How many times the event happened.'),
  { ...nameColumn, priority: 1 },
];

function eventRow(event: EventView, now: number): Cell[] {
  const firstSeen = event.firstTimestamp !== '' ? since(event.firstTimestamp, now) : since(event.eventTime, now);
  let lastSeen = event.lastTimestamp !== '' ? since(event.lastTimestamp, now) : firstSeen;
  // Events of the newer API count repeats in a series; a singleton has no count at all.
  let count = event.count === 0 ? 1 : event.count;
  if (event.series) {
    lastSeen = since(text(event.series, 'lastObservedTime'), now);
    count = integer(event.series, 'count');
  }
  const kind = text(event.involvedObject, 'kind').toLowerCase();
  const name = text(event.involvedObject, 'name');
  const component = text(event.source, 'component') || event.reportingController;
  const host = text(event.source, 'host') || event.reportingInstance;
  return [
    lastSeen,
    event.type,
    event.reason,
    name === '' ? kind : `${kind}/${name}`,
    text(event.involvedObject, 'fieldPath'),
    host === '' ? component : `${component}, ${host}`,
    event.message.trim(),
    firstSeen,
    count,
    event.name,
  ];
}

function seriesOf(event: unknown): Fields | undefined {
  const series = record(event).series;
  return isRecord(series) ? series : undefined;
}

export const eventPrinter: Printer = {
  columns,
  row(event, now) {
    return eventRow(
      {
        name: text(event, 'metadata', 'name'),
        type: text(event, 'type'),
        reason: text(event, 'reason'),
        message: text(event, 'message'),
        involvedObject: record(event, 'involvedObject'),
        source: record(event, 'source'),
        reportingController: text(event, 'reportingComponent'),
        reportingInstance: text(event, 'reportingInstance'),
        firstTimestamp: text(event, 'firstTimestamp'),
        lastTimestamp: text(event, 'lastTimestamp'),
        eventTime: text(event, 'eventTime'),
        count: integer(event, 'count'),
        series: seriesOf(event),
      },
      now,
    );
  },
};

/** events.k8s.io/v1 renames: regarding, note, reportingController, deprecated* timestamps and count. */
export const eventsV1Printer: Printer = {
  columns,
  row(event, now) {
    return eventRow(
      {
        name: text(event, 'metadata', 'name'),
        type: text(event, 'type'),
        reason: text(event, 'reason'),
        message: text(event, 'note'),
        involvedObject: record(event, 'regarding'),
        source: record(event, 'deprecatedSource'),
        reportingController: text(event, 'reportingController'),
        reportingInstance: text(event, 'reportingInstance'),
        firstTimestamp: text(event, 'deprecatedFirstTimestamp'),
        lastTimestamp: text(event, 'deprecatedLastTimestamp'),
        eventTime: text(event, 'eventTime'),
        count: integer(event, 'deprecatedCount'),
        series: seriesOf(event),
      },
      now,
    );
  },
};
