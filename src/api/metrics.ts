/**
 * A small Prometheus registry for /metrics: `apiserver_request_total{verb,resource,code}` and the
 * `apiserver_request_duration_seconds` histogram by verb and resource, in the text exposition format.
 * Verb labels are apiserver's: upper-case HTTP-ish verbs with LIST, WATCH, APPLY and DELETECOLLECTION.
 */

/** apiserver's buckets for request latency, in seconds. */
const buckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export interface Metrics {
  observe(verb: string, resource: string, code: number, seconds: number): void;
  render(): string;
}

const label = (v: string) => v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

export function createMetrics(): Metrics {
  const totals = new Map<string, number>();
  const durations = new Map<string, Histogram>();
  return {
    observe(verb, resource, code, seconds) {
      const totalKey = `code="${code}",resource="${label(resource)}",verb="${label(verb)}"`;
      totals.set(totalKey, (totals.get(totalKey) ?? 0) + 1);
      const key = `resource="${label(resource)}",verb="${label(verb)}"`;
      let h = durations.get(key);
      if (!h) {
        h = { counts: buckets.map(() => 0), sum: 0, count: 0 };
        durations.set(key, h);
      }
      const index = buckets.findIndex((b) => seconds <= b);
      if (index >= 0) h.counts[index] = (h.counts[index] ?? 0) + 1;
      h.sum += seconds;
      h.count += 1;
    },
    render() {
      const out = [
        '# HELP apiserver_request_total Counter of apiserver requests broken out by verb, resource and HTTP response code.',
        '# TYPE apiserver_request_total counter',
      ];
      for (const [k, v] of totals) out.push(`apiserver_request_total{${k}} ${v}`);
      out.push(
        '# HELP apiserver_request_duration_seconds Response latency distribution in seconds by verb and resource.',
        '# TYPE apiserver_request_duration_seconds histogram',
      );
      for (const [k, h] of durations) {
        let cumulative = 0;
        buckets.forEach((b, i) => {
          cumulative += h.counts[i] ?? 0;
          out.push(`apiserver_request_duration_seconds_bucket{${k},le="${b}"} ${cumulative}`);
        });
        out.push(`apiserver_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
        out.push(`apiserver_request_duration_seconds_sum{${k}} ${h.sum}`);
        out.push(`apiserver_request_duration_seconds_count{${k}} ${h.count}`);
      }
      return `${out.join('\n')}\n`;
    },
  };
}

export const metricsContentType = 'text/plain; version=0.0.4; charset=utf-8';
