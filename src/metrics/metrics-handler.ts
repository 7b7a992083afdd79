/**
 * The HTTP side of metrics.k8s.io: query → `readMetrics`, answered as JSON, YAML or a Table (the
 * default one: kubectl top reads JSON, `kubectl get nodemetrics` prints names and times).
 */
import { negotiateFormat } from '../api/negotiation.ts';
import { includeObjectParam } from '../api/query.ts';
import type { ResolvedRequest } from '../api/resolve-request.ts';
import { respondValue } from '../api/respond.ts';
import { toTable } from '../api/table.ts';
import type { Registry } from '../registry/types.ts';
import type { KubeList, KubeObject, UserInfo } from '../types/meta.ts';
import { readMetrics } from './serve-metrics.ts';

export interface MetricsHttpRequest {
  registry: Registry;
  target: ResolvedRequest;
  request: Request;
  query: URLSearchParams;
  user: UserInfo;
  now: number;
}

const isList = (value: KubeObject | KubeList): value is KubeList => Array.isArray((value as KubeList).items);

export async function handleMetrics(r: MetricsHttpRequest): Promise<Response> {
  const format = negotiateFormat(r.request.headers.get('accept'), { allowTable: true, allowYaml: true });
  const labelSelector = r.query.get('labelSelector') ?? undefined;
  const fieldSelector = r.query.get('fieldSelector') ?? undefined;
  const value = await readMetrics({
    registry: r.registry,
    def: r.target.def,
    namespace: r.target.namespace,
    name: r.target.name,
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
    context: { user: r.user },
    now: r.now,
  });
  const respondOptions = { status: 200, acceptEncoding: r.request.headers.get('accept-encoding') };
  if (format.type === 'table') {
    const items = isList(value) ? value.items : [value];
    const table = toTable(
      r.target.def,
      items,
      {},
      {
        includeObject: includeObjectParam(r.query),
        version: format.version,
        now: r.now,
      },
    );
    return respondValue(table, 'json', respondOptions);
  }
  return respondValue(value, format.type, respondOptions);
}
