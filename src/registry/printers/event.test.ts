import { describe, expect, it } from 'vitest';
import { eventPrinter, eventsV1Printer } from './event.ts';
import { ago, cells, minutes, object } from './testing.ts';

describe('event printers', () => {
  it('prints a core/v1 event', () => {
    const event = object(
      'Event',
      {
        type: 'Warning',
        reason: 'BackOff',
        message: ' Back-off restarting failed container \n',
        involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{app}' },
        source: { component: 'kubelet', host: 'node-1' },
        firstTimestamp: ago(minutes(10)),
        lastTimestamp: ago(minutes(1)),
        count: 7,
      },
      { name: 'web-1.17a' },
    );
    expect(eventPrinter.row(event, Date.parse('2025-01-01T12:00:00Z'))).toEqual([
      '60s',
      'Warning',
      'BackOff',
      'pod/web-1',
      'spec.containers{app}',
      'kubelet, node-1',
      'Back-off restarting failed container',
      '10m',
      7,
      'web-1.17a',
    ]);
  });

  it('falls back to eventTime, reportingComponent and a count of 1', () => {
    const event = object('Event', {
      involvedObject: { kind: 'Node' },
      eventTime: ago(minutes(3)),
      reportingComponent: 'scheduler',
    });
    expect(cells(eventPrinter, event)).toMatchObject({
      'Last Seen': '3m',
      'First Seen': '3m',
      Object: 'node',
      Source: 'scheduler',
      Count: 1,
    });
  });

  it('prints an events.k8s.io/v1 event with the same columns, series taking over last seen and count', () => {
    const event = object('Event', {
      regarding: { kind: 'Deployment', name: 'web' },
      note: 'Scaled up',
      reason: 'ScalingReplicaSet',
      type: 'Normal',
      reportingController: 'deployment-controller',
      eventTime: ago(minutes(8)),
      series: { count: 4, lastObservedTime: ago(minutes(2)) },
    });
    expect(cells(eventsV1Printer, event)).toMatchObject({
      'Last Seen': '2m',
      Object: 'deployment/web',
      Message: 'Scaled up',
      Source: 'deployment-controller',
      'First Seen': '8m',
      Count: 4,
    });
    expect(eventsV1Printer.columns).toBe(eventPrinter.columns);
  });
});
