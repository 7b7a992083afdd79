import { describe, expect, it } from 'vitest';
import { createLogStore } from './log-store.ts';
import { openLogStream } from './logs.ts';

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('logs', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  function store() {
    const logs = createLogStore(64);
    for (let i = 0; i < 4; i++) logs.append('u1', 'web', t0 + i * 1000, `line ${i}`);
    return logs;
  }

  it.each([
    [{}, 'line 0\nline 1\nline 2\nline 3\n'],
    [{ tailLines: 2 }, 'line 2\nline 3\n'],
    [{ sinceSeconds: 2 }, 'line 2\nline 3\n'],
    [{ limitBytes: 10 }, 'line 0\nlin'],
    [{ tailLines: 1, timestamps: true }, '2026-01-01T00:00:03.000000000Z line 3\n'],
  ])('reads with %o', async (options, expected) => {
    const log = store().read('u1', 'web');
    expect(await text(openLogStream(log!, options, t0 + 4000))).toBe(expected);
  });

  it('bounds a log by dropping its oldest lines', () => {
    const logs = store();
    for (let i = 4; i < 20; i++) logs.append('u1', 'web', t0, `line ${i}`);
    const log = logs.read('u1', 'web')!;
    expect(log.bytes).toBeLessThanOrEqual(64);
    expect(log.lines.at(-1)?.text).toBe('line 19');
  });

  it('follows until the container ends', async () => {
    const logs = store();
    const stream = openLogStream(logs.read('u1', 'web')!, { follow: true, tailLines: 1 }, t0);
    const result = text(stream);
    logs.append('u1', 'web', t0 + 5000, 'line 4');
    logs.end('u1', 'web');
    expect(await result).toBe('line 3\nline 4\n');
  });

  it('keeps the previous instance across a restart', () => {
    const logs = store();
    logs.restart('u1', 'web');
    logs.append('u1', 'web', t0, 'again');
    expect(logs.read('u1', 'web', true)?.lines.length).toBe(4);
    expect(logs.read('u1', 'web')?.lines.map((l) => l.text)).toEqual(['again']);
  });
});
