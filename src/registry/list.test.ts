import { describe, expect, it } from 'vitest';
import { decodeContinue } from './continue-token.ts';
import { admin, newTestRegistry, statusOf } from './testing/test-registry.ts';

async function withConfigMaps(count: number) {
  const t = await newTestRegistry();
  for (let i = 0; i < count; i++)
    await t.create('configmaps', { metadata: { name: `cm-${i}`, labels: { parity: i % 2 ? 'odd' : 'even' } } });
  return { t, def: t.def('configmaps') };
}

describe('selectors on list', () => {
  it('filter by label and field', async () => {
    const { t, def } = await withConfigMaps(4);
    const names = async (o: object) =>
      (await t.registry.list(def, 'default', o, admin)).items.map((i) => i.metadata.name);
    expect(await names({ labelSelector: 'parity=odd' })).toEqual(['cm-1', 'cm-3']);
    expect(await names({ labelSelector: 'parity notin (odd)', fieldSelector: 'metadata.name!=cm-0' })).toEqual([
      'cm-2',
    ]);
    expect(await names({ fieldSelector: 'metadata.name=cm-3' })).toEqual(['cm-3']);
  });

  it('answer 400 for unknown field labels and bad label syntax', async () => {
    const { t, def } = await withConfigMaps(1);
    expect(await statusOf(t.registry.list(def, 'default', { fieldSelector: 'spec.nodeName=x' }, admin))).toMatchObject({
      code: 400,
      message: 'field label not supported: spec.nodeName',
    });
    expect((await statusOf(t.registry.list(def, 'default', { labelSelector: 'a in b' }, admin))).code).toBe(400);
  });

  it("use each kind's field selectors", async () => {
    const t = await newTestRegistry();
    await t.create('pods', {
      metadata: { name: 'a' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] },
    });
    await t.create('pods', { metadata: { name: 'b' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const list = await t.registry.list(
      t.def('pods'),
      undefined,
      { fieldSelector: 'spec.nodeName=n1,status.phase!=Failed' },
      admin,
    );
    expect(list.items.map((p) => p.metadata.name)).toEqual(['a']);
    const namespaces = await t.registry.list(
      t.def('namespaces'),
      undefined,
      { fieldSelector: 'status.phase=Active' },
      admin,
    );
    expect(namespaces.items).toHaveLength(4);
  });
});

describe('pagination', () => {
  it('continues at the same revision from the last key', async () => {
    const { t, def } = await withConfigMaps(5);
    const first = await t.registry.list(def, 'default', { limit: 2 }, admin);
    expect(first.items.map((i) => i.metadata.name)).toEqual(['cm-0', 'cm-1']);
    expect(first.metadata.remainingItemCount).toBe(3);
    const token = first.metadata.continue as string;
    expect(decodeContinue(token).revision).toBe(Number(first.metadata.resourceVersion));
    await t.create('configmaps', { metadata: { name: 'cm-10' } });
    const second = await t.registry.list(def, 'default', { limit: 10, continue: token }, admin);
    expect(second.items.map((i) => i.metadata.name)).toEqual(['cm-2', 'cm-3', 'cm-4']);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(second.metadata.continue).toBeUndefined();
  });

  it('counts the remaining items on every page but the last, as kube-apiserver does', async () => {
    const { t, def } = await withConfigMaps(7);
    const counts: (number | undefined)[] = [];
    let token: string | undefined;
    do {
      const page = await t.registry.list(def, 'default', { limit: 3, ...(token ? { continue: token } : {}) }, admin);
      counts.push(page.metadata.remainingItemCount);
      token = page.metadata.continue;
      // Later writes do not change the count: every page reads at the first page's revision.
      await t.create('configmaps', { metadata: { name: `later-${counts.length}` } });
    } while (token);
    expect(counts).toEqual([4, 1, undefined]);
  });

  it('leaves remainingItemCount out when a selector filters the page', async () => {
    const { t, def } = await withConfigMaps(6);
    const page = await t.registry.list(def, 'default', { limit: 1, labelSelector: 'parity=even' }, admin);
    expect(page.metadata.continue).toBeDefined();
    expect(page.metadata.remainingItemCount).toBeUndefined();
  });

  it('pages through selector matches', async () => {
    const { t, def } = await withConfigMaps(6);
    const first = await t.registry.list(def, 'default', { limit: 2, labelSelector: 'parity=even' }, admin);
    expect(first.items.map((i) => i.metadata.name)).toEqual(['cm-0', 'cm-2']);
    const second = await t.registry.list(
      def,
      'default',
      { limit: 2, labelSelector: 'parity=even', continue: first.metadata.continue as string },
      admin,
    );
    expect(second.items.map((i) => i.metadata.name)).toEqual(['cm-4']);
  });

  it('a token whose revision was compacted is 410 Expired with a fresh token', async () => {
    const { t, def } = await withConfigMaps(3);
    const first = await t.registry.list(def, 'default', { limit: 1 }, admin);
    await t.create('configmaps', { metadata: { name: 'later' } });
    await t.store.compact(await t.store.currentRevision());
    const s = await t.registry
      .list(def, 'default', { limit: 1, continue: first.metadata.continue as string }, admin)
      .catch((e: unknown) => e);
    expect(s).toMatchObject({ status: { code: 410, reason: 'Expired' } });
    const fresh = (s as { status: { metadata: { continue: string } } }).status.metadata.continue;
    const rest = await t.registry.list(def, 'default', { continue: fresh }, admin);
    expect(rest.items.map((i) => i.metadata.name)).toEqual(['cm-1', 'cm-2', 'later']);
  });

  it('rejects a malformed token with 400', async () => {
    const { t, def } = await withConfigMaps(1);
    expect((await statusOf(t.registry.list(def, 'default', { continue: 'garbage' }, admin))).code).toBe(400);
  });
});

describe('resourceVersion', () => {
  it('Exact reads the past; a compacted revision is 410', async () => {
    const { t, def } = await withConfigMaps(1);
    const at = (await t.registry.list(def, 'default', {}, admin)).metadata.resourceVersion as string;
    await t.create('configmaps', { metadata: { name: 'new' } });
    const old = await t.registry.list(def, 'default', { resourceVersion: at, resourceVersionMatch: 'Exact' }, admin);
    expect(old.items).toHaveLength(1);
    expect(old.metadata.resourceVersion).toBe(at);
    await t.store.compact(await t.store.currentRevision());
    expect(
      (await statusOf(t.registry.list(def, 'default', { resourceVersion: at, resourceVersionMatch: 'Exact' }, admin)))
        .code,
    ).toBe(410);
  });

  it('a future revision is 504 with cause ResourceVersionTooLarge', async () => {
    const { t, def } = await withConfigMaps(1);
    const s = await statusOf(t.registry.list(def, 'default', { resourceVersion: '99999' }, admin));
    expect(s.code).toBe(504);
    expect(s.causes).toEqual([{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }]);
  });

  it('resourceVersionMatch without resourceVersion is 422', async () => {
    const { t, def } = await withConfigMaps(1);
    expect(
      (await statusOf(t.registry.list(def, 'default', { resourceVersionMatch: 'NotOlderThan' }, admin))).code,
    ).toBe(422);
  });
});

describe('encoded fast paths', () => {
  it('splice resourceVersion into the stored bytes and equal the parsed list', async () => {
    const { t, def } = await withConfigMaps(3);
    const encoded = await t.registry.listEncoded?.(def, 'default', { limit: 2 }, admin);
    const parsed = await t.registry.list(def, 'default', { limit: 2 }, admin);
    expect(encoded?.metadata).toEqual(parsed.metadata);
    const whole = Buffer.concat([...(encoded?.items.chunks(1 << 20) ?? [])]);
    expect(whole.byteLength).toBe(encoded?.items.byteLength);
    expect(JSON.parse(`[${whole}]`)).toEqual(parsed.items);
    expect(encoded?.count).toBe(parsed.items.length);
    const one = await t.registry.getEncoded?.(def, 'default', 'cm-1', {}, admin);
    expect(JSON.parse(new TextDecoder().decode(one))).toEqual(await t.registry.get(def, 'default', 'cm-1', {}, admin));
  });

  it('step aside for selectors and converted versions', async () => {
    const { t, def } = await withConfigMaps(1);
    expect(await t.registry.listEncoded?.(def, 'default', { labelSelector: 'a=b' }, admin)).toBeUndefined();
    expect(await t.registry.listEncoded?.(t.def('events', 'events.k8s.io'), 'default', {}, admin)).toBeUndefined();
  });
});

describe('spliceResourceVersions', () => {
  it('handles empty metadata and values that are not in the stored shape', async () => {
    const { spliceResourceVersions, typePrefix } = await import('./codec.ts');
    const enc = (s: string) => new TextEncoder().encode(s);
    const kv = (value: string, modRevision: number) => ({
      key: 'k',
      value: enc(value),
      createRevision: 1,
      modRevision,
      version: 1,
    });
    const prefix = typePrefix('Pod', 'v1');
    const out = spliceResourceVersions(
      [
        kv('{"kind":"Pod","apiVersion":"v1","metadata":{}}', 7),
        kv('{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a"},"spec":{}}', 12),
      ],
      prefix,
      true,
    );
    expect(new TextDecoder().decode(out)).toBe(
      '{"metadata":{"resourceVersion":"7"}},{"metadata":{"resourceVersion":"12","name":"a"},"spec":{}}',
    );
    expect(
      spliceResourceVersions([kv('{"apiVersion":"v1","kind":"Pod","metadata":{}}', 1)], prefix, false),
    ).toBeUndefined();
  });

  it('streams in chunks that never split an item and add up to the declared length', async () => {
    const { splicedItems, typePrefix } = await import('./codec.ts');
    const prefix = typePrefix('Pod', 'v1');
    const kvs = Array.from({ length: 50 }, (_, i) => ({
      key: `k${i}`,
      value: Buffer.from(`{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p${i}"},"spec":{"n":${'9'.repeat(i)}0}}`),
      createRevision: 1,
      modRevision: 95 + i,
      version: 1,
    }));
    const items = splicedItems(kvs, prefix, true);
    const chunks = [...(items?.chunks(200) ?? [])];
    // Each chunk holds whole items: it parses on its own once a leading comma is dropped.
    for (const chunk of chunks)
      expect(() => JSON.parse(`[${Buffer.from(chunk).toString().replace(/^,/, '')}]`)).not.toThrow();
    expect(chunks.length).toBeGreaterThan(5);
    const whole = Buffer.concat(chunks);
    expect(whole.byteLength).toBe(items?.byteLength);
    const parsed = JSON.parse(`[${whole}]`) as { metadata: { name: string; resourceVersion: string } }[];
    expect(parsed.map((p) => p.metadata.resourceVersion)).toEqual(kvs.map((kv) => String(kv.modRevision)));
    expect(parsed[49]?.metadata.name).toBe('p49');
    expect([...(splicedItems([], prefix, true)?.chunks(200) ?? [])]).toEqual([]);
  });
});
