import { describe, expect, it } from 'vitest';
import { admin, newTestRegistry } from '../testing/test-registry.ts';

describe('secret stringData', () => {
  it('is folded into data as base64 on create and update, winning over data, and never stored', async () => {
    const t = await newTestRegistry();
    const created = await t.create('secrets', {
      metadata: { name: 's' },
      data: { kept: 'a2VwdA==', both: 'b2xk' },
      stringData: { both: 'new', plain: 'héllo' },
    });
    expect(created.data).toEqual({ kept: 'a2VwdA==', both: 'bmV3', plain: 'aMOpbGxv' });
    expect(created.stringData).toBeUndefined();
    const patched = await t.registry.patch(
      t.def('secrets'),
      'default',
      's',
      'merge',
      { stringData: { kept: 'changed' } },
      admin,
    );
    expect(patched.object.data).toEqual({ kept: 'Y2hhbmdlZA==', both: 'bmV3', plain: 'aMOpbGxv' });
    expect(patched.object.stringData).toBeUndefined();
  });
});
