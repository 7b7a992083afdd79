/**
 * Protobuf body decoding for the schemas bench (imported by bench/schemas.bench.ts): the 3-container
 * Deployment that `kubectl 1.35 create deployment --image=… ×3` sends, decoded to its JSON object.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeKubernetesProtobuf } from '../src/openapi/protobuf/decode-kubernetes-protobuf.ts';
import { type Metric, metric } from './harness.ts';

const fixture = join(
  dirname(fileURLToPath(import.meta.url)),
  '../src/openapi/protobuf/testdata/kubectl-1.35-create-deployment.pb',
);

/** Runs `fn` in batches until `ms` have passed; returns operations per second. */
function opsPerSecond(fn: () => void, ms: number): number {
  const batch = 1000;
  let operations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) fn();
    operations += batch;
    elapsed = performance.now() - start;
  }
  return (operations * 1000) / elapsed;
}

export async function measureProtobufDecode(): Promise<Metric[]> {
  const body = new Uint8Array(readFileSync(fixture));
  let sink = 0;
  const decode = () => {
    const { object } = decodeKubernetesProtobuf(body);
    if (object) sink++;
  };
  opsPerSecond(decode, 300); // warm-up: compile decoders, let the JIT settle
  const rate = opsPerSecond(decode, 1500);
  if (sink === 0) throw new Error('decoder produced nothing');
  return [
    metric('protobuf decode, 3-container Deployment', rate, 'ops/s', { min: 50_000 }),
    metric('protobuf body size, 3-container Deployment', body.length, 'bytes'),
  ];
}
