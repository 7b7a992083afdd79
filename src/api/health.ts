/**
 * /healthz, /livez and /readyz as kube-apiserver serves them (contract §3.2): `ok` when every check
 * passes; with `?verbose` (or on failure) one `[+]name ok` / `[-]name failed: reason withheld` line per
 * check and a summary line; `/<endpoint>/<check>` runs one check; `?exclude=<check>` skips one.
 */

export interface HealthCheck {
  name: string;
  /** Resolves when healthy; throws (or rejects) when not. */
  check(): void | Promise<void>;
}

export type HealthEndpoint = 'healthz' | 'livez' | 'readyz';

const textHeaders = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };

const text = (body: string, status: number) => new Response(body, { status, headers: textHeaders });

async function passes(check: HealthCheck): Promise<boolean> {
  try {
    await check.check();
    return true;
  } catch {
    return false;
  }
}

/** `ping` and `log` always pass: they say the process answers; callers add `etcd` (the store) and others. */
export function defaultHealthChecks(extra: readonly HealthCheck[] = []): HealthCheck[] {
  return [{ name: 'ping', check() {} }, { name: 'log', check() {} }, ...extra];
}

export async function serveHealth(
  endpoint: HealthEndpoint,
  checks: readonly HealthCheck[],
  subpath: readonly string[],
  query: URLSearchParams,
): Promise<Response> {
  if (subpath.length > 0) {
    const check = subpath.length === 1 ? checks.find((c) => c.name === subpath[0]) : undefined;
    if (!check) return text('404 page not found\n', 404);
    return (await passes(check)) ? text('ok', 200) : text('internal server error: reason withheld\n', 500);
  }
  const excluded = new Set(query.getAll('exclude'));
  const lines: string[] = [];
  let healthy = true;
  for (const check of checks) {
    if (excluded.has(check.name)) {
      lines.push(`[+]${check.name} excluded: ok`);
      continue;
    }
    if (await passes(check)) {
      lines.push(`[+]${check.name} ok`);
    } else {
      healthy = false;
      lines.push(`[-]${check.name} failed: reason withheld`);
    }
  }
  const verbose = query.has('verbose') && query.get('verbose') !== 'false';
  if (healthy && !verbose) return text('ok', 200);
  lines.push(`${endpoint} check ${healthy ? 'passed' : 'failed'}`);
  return text(`${lines.join('\n')}\n`, healthy ? 200 : 500);
}
