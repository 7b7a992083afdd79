/**
 * A worker for port-client.test.ts (started through ts-worker.mjs): proves a port client works from
 * another thread. It takes the port from workerData, creates and gets a ConfigMap, asks for one that
 * does not exist (to see a StatusError rebuilt on this side of the port) and posts what it saw to the
 * parent.
 */
import { type MessagePort, parentPort, threadId, workerData } from 'node:worker_threads';
import { isStatusError } from '../../status.ts';
import { createPortClient } from '../port-client.ts';
import { configMaps } from '../resources.ts';

export interface PortWorkerData {
  /** This file's URL, for ts-worker.mjs to load. */
  tsEntry: string;
  port: MessagePort;
  namespace: string;
}

export type PortWorkerResult =
  | { ok: true; threadId: number; created: unknown; got: unknown; missingCode: number | undefined }
  | { ok: false; message: string };

const parent = parentPort as NonNullable<typeof parentPort>;
const { port, namespace } = workerData as PortWorkerData;
const client = createPortClient(port);
const post = (result: PortWorkerResult) => parent.postMessage(result);

try {
  const cm = client.resource(configMaps);
  const created = await cm.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'from-worker', namespace },
    data: { thread: String(threadId) },
  });
  const got = await cm.get('from-worker', namespace);
  const missingCode = await cm.get('missing', namespace).then(
    () => undefined,
    (err: unknown) => (isStatusError(err) ? err.code : undefined),
  );
  post({ ok: true, threadId, created, got, missingCode });
} catch (err) {
  post({ ok: false, message: String(err) });
} finally {
  // Without the port's listener nothing keeps this thread alive: it exits on its own.
  client.close();
}
