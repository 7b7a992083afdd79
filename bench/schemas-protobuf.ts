/**
 * Protobuf body decoding for the schemas bench (imported by bench/schemas.bench.ts): the same
 * 3-container Deployment the validation figures use, encoded as a Go client would send it
 * (schemas-protobuf-encode.ts; the decode must give back the object exactly), and the body
 * `kubectl 1.35 create deployment --image=… ×3` really sent (testdata), decoded to its JSON object.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { decodeKubernetesProtobuf } from '../src/openapi/protobuf/decode-kubernetes-protobuf.ts';
import { type Metric, metric } from './harness.ts';
import { encodeKubernetesProtobuf } from './schemas-protobuf-encode.ts';
import { measureRate } from './schemas-timing.ts';

const kubectlFixture = join(
  dirname(fileURLToPath(import.meta.url)),
  '../src/openapi/protobuf/testdata/kubectl-1.35-create-deployment.pb',
);

function decodeRate(body: Uint8Array) {
  let sink = 0;
  const decode = () => {
    if (decodeKubernetesProtobuf(body).object) sink++;
  };
  measureRate(decode, 300, 1000); // warm-up: compile decoders, let the JIT settle
  const rate = measureRate(decode, 1500, 1000);
  if (sink === 0) throw new Error('decoder produced nothing');
  return rate;
}

export async function measureProtobufDecode(deployment: Record<string, unknown>): Promise<Metric[]> {
  const body = encodeKubernetesProtobuf(deployment);
  if (!isDeepStrictEqual(decodeKubernetesProtobuf(body).object, deployment)) {
    throw new Error('the encoded bench Deployment does not decode to itself');
  }
  const same = decodeRate(body);
  const kubectlBody = new Uint8Array(readFileSync(kubectlFixture));
  const kubectl = decodeRate(kubectlBody);
  return [
    metric('protobuf decode, the same 3-container Deployment', same.wall, 'ops/s', { min: 50_000 }),
    metric('protobuf decode, the same, per CPU second', same.cpu, 'ops/s'),
    metric('protobuf body size, the same Deployment', body.length, 'bytes'),
    metric('protobuf decode, kubectl 1.35 create deployment body (3 images)', kubectl.wall, 'ops/s'),
    metric('protobuf body size, kubectl body', kubectlBody.length, 'bytes'),
  ];
}
