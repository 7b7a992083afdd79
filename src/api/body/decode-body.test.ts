import { describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-app.ts';

const post = (t: ReturnType<typeof testApp>, body: RequestInit['body'], contentType = 'application/json') =>
  t.request('POST', '/api/v1/namespaces/default/configmaps', { headers: { 'Content-Type': contentType }, body });

async function message(res: Response): Promise<string> {
  const status = await res.text().then(JSON.parse);
  return status.message;
}

describe('object bodies', () => {
  it.each([
    ['x', "couldn't get version/kind; json parse error: invalid character 'x' looking for beginning of value"],
    ['{"a":1', "couldn't get version/kind; json parse error: unexpected end of JSON input"],
    [
      '{x',
      "couldn't get version/kind; json parse error: invalid character 'x' looking for beginning of object key string",
    ],
    ['{"a":1}}', "couldn't get version/kind; json parse error: invalid character '}' after top-level value"],
    ['[]', "couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct"],
    [
      '{"kind":5}',
      "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string",
    ],
    ['null', "Object 'Kind' is missing in 'null'"],
  ])('answers 400 for %s worded like Kubernetes', async (body, expected) => {
    const res = await post(testApp(), body);
    expect(res.status).toBe(400);
    expect(await message(res)).toContain(expected);
  });

  it('defaults kind and apiVersion from the endpoint', async () => {
    const t = testApp();
    const res = await post(t, '{"metadata":{"name":"a"}}');
    expect(await res.text().then(JSON.parse)).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
  });

  it('accepts YAML and reports YAML errors with the line', async () => {
    const t = testApp();
    const ok = await post(t, 'metadata:\n  name: y\ndata:\n  k: v\n', 'application/yaml');
    expect(ok.status).toBe(201);
    const bad = await post(t, 'metadata:\n  name: [y\n', 'application/yaml');
    expect(bad.status).toBe(400);
    expect(await message(bad)).toMatch(/error converting YAML to JSON: yaml: line \d+/);
  });

  it('refuses YAML alias bombs', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const res = await post(testApp(), levels.join('\n'), 'application/yaml');
    expect(res.status).toBe(400);
    expect(await message(res)).toContain('excessive aliasing');
  });

  it('answers 415 with the accepted list for other content types', async () => {
    for (const type of ['text/plain', 'application/xml']) {
      const res = await post(testApp(), '{}', type);
      expect(res.status).toBe(415);
      expect(await message(res)).toBe(
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
      );
    }
  });

  it('answers 400 for invalid UTF-8 and for nesting beyond the limit', async () => {
    const bad = await post(testApp(), new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    expect(bad.status).toBe(400);
    const deep = await post(testApp(), `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(deep.status).toBe(400);
    expect(await message(deep)).toContain('exceeded max depth');
  });

  it('counts nesting by objects and arrays only: brackets inside strings do not count', async () => {
    const nested = (depth: number) =>
      `{"metadata":{"name":"n"},"data":${'{"a":'.repeat(depth - 1)}"${'[{\\"'.repeat(2000)}"${'}'.repeat(depth)}`;
    const atLimit = await post(testApp(), nested(1000));
    expect(await atLimit.text()).not.toContain('exceeded max depth');
    const overLimit = await post(testApp(), nested(1001));
    expect(overLimit.status).toBe(400);
    expect(await message(overLimit)).toContain('exceeded max depth');
  });

  it('answers 413 for a declared or streamed body over 3 MiB', async () => {
    const t = testApp();
    const big = new Uint8Array(3 * 1024 * 1024 + 1).fill(0x20);
    const declared = await post(t, big);
    expect(declared.status).toBe(413);
    expect((await declared.text().then(JSON.parse)).reason).toBe('RequestEntityTooLarge');
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 8 * 1024 * 1024) return controller.close();
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const streamed = await t.app.request('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    // Reading stopped at the limit: the rest of the stream was never pulled.
    expect(sent).toBeLessThan(4 * 1024 * 1024);
  });
});

describe('patch bodies', () => {
  const patch = (t: ReturnType<typeof testApp>, body: string, type: string) =>
    t.request('PATCH', '/api/v1/namespaces/default/configmaps/p?fieldManager=m', {
      headers: { 'Content-Type': type },
      body,
    });

  it('answers 415 listing the patch types for a non-patch content type', async () => {
    const t = testApp();
    const res = await patch(t, '{}', 'application/json');
    expect(res.status).toBe(415);
    expect(await message(res)).toContain('application/json-patch+json, application/merge-patch+json');
  });

  it('answers 400 for malformed patches', async () => {
    const t = testApp();
    expect((await patch(t, '{', 'application/merge-patch+json')).status).toBe(400);
    expect((await patch(t, '{"op":"add"}', 'application/json-patch+json')).status).toBe(400);
    expect((await patch(t, 'a: [', 'application/apply-patch+yaml')).status).toBe(400);
  });
});

describe('delete options', () => {
  it('reads DeleteOptions from the query when there is no body', async () => {
    const t = testApp();
    await post(t, '{"metadata":{"name":"d"}}');
    await t.request(
      'DELETE',
      '/api/v1/namespaces/default/configmaps/d?propagationPolicy=Foreground&gracePeriodSeconds=0',
    );
    expect(t.registry.calls.at(-1)?.options).toEqual({ propagationPolicy: 'Foreground', gracePeriodSeconds: 0 });
  });

  it('validates the propagation policy (422 on DeleteOptions) and integer parameters (400)', async () => {
    const t = testApp();
    const policy = await t.request('DELETE', '/api/v1/namespaces/default/configmaps/d', {
      headers: { 'Content-Type': 'application/json' },
      body: '{"propagationPolicy":"Sideways"}',
    });
    expect(policy.status).toBe(422);
    expect(await message(policy)).toBe(
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan"',
    );
    const grace = await t.request('DELETE', '/api/v1/namespaces/default/configmaps/d?gracePeriodSeconds=soon');
    expect(grace.status).toBe(400);
    expect(await message(grace)).toBe('strconv.ParseInt: parsing "soon": invalid syntax');
  });
});
