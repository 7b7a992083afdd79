import { describe, expect, it } from 'vitest';
import { emptyHistory, type NormalizeInput, normalizeReplicas, recordScaleEvent } from './behavior.ts';
import type { Behavior } from './types.ts';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const input = (o: Partial<NormalizeInput>): NormalizeInput => ({
  behavior: undefined,
  currentReplicas: 2,
  desiredReplicas: 2,
  minReplicas: 1,
  maxReplicas: 10,
  now: t0,
  history: emptyHistory(),
  ...o,
});

describe('HPA normalisation without behavior', () => {
  it('holds a scale-down to the highest recommendation of the last 5 minutes', () => {
    const history = emptyHistory();
    expect(normalizeReplicas(input({ currentReplicas: 5, desiredReplicas: 5, history })).replicas).toBe(5);
    const held = normalizeReplicas(input({ currentReplicas: 5, desiredReplicas: 2, now: t0 + 60_000, history }));
    expect(held).toMatchObject({ replicas: 5, ableToScale: { reason: 'ScaleDownStabilized' } });
    const later = normalizeReplicas(input({ currentReplicas: 5, desiredReplicas: 2, now: t0 + 301_000, history }));
    expect(later).toMatchObject({ replicas: 2, ableToScale: { reason: 'ReadyForNewScale' } });
  });

  it('at most doubles (or adds up to 4) per sync, then clamps to min and max', () => {
    expect(normalizeReplicas(input({ currentReplicas: 2, desiredReplicas: 10 }))).toMatchObject({
      replicas: 4,
      scalingLimited: { status: 'True', reason: 'ScaleUpLimit' },
    });
    expect(normalizeReplicas(input({ currentReplicas: 6, desiredReplicas: 20, maxReplicas: 10 }))).toMatchObject({
      replicas: 10,
      scalingLimited: { status: 'True', reason: 'TooManyReplicas' },
    });
    expect(normalizeReplicas(input({ currentReplicas: 3, desiredReplicas: 0, minReplicas: 2 }))).toMatchObject({
      replicas: 2,
      scalingLimited: { status: 'True', reason: 'TooFewReplicas' },
    });
    expect(normalizeReplicas(input({ currentReplicas: 2, desiredReplicas: 3 }))).toMatchObject({
      replicas: 3,
      scalingLimited: { status: 'False', reason: 'DesiredWithinRange' },
    });
  });
});

describe('HPA normalisation with behavior', () => {
  it('applies the larger of the default scale-up policies (4 pods or 100 % per 15 s)', () => {
    const behavior: Behavior = { scaleDown: { stabilizationWindowSeconds: 0 } };
    expect(normalizeReplicas(input({ behavior, currentReplicas: 1, desiredReplicas: 9 })).replicas).toBe(5);
    expect(
      normalizeReplicas(input({ behavior, currentReplicas: 6, desiredReplicas: 20, maxReplicas: 30 })).replicas,
    ).toBe(12);
  });

  it('counts the scale-ups of the policy period against the limit', () => {
    const behavior: Behavior = { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } };
    const history = emptyHistory();
    recordScaleEvent(history, behavior, 1, 3, t0);
    const limited = normalizeReplicas(
      input({ behavior, currentReplicas: 3, desiredReplicas: 8, now: t0 + 30_000, history }),
    );
    expect(limited).toMatchObject({ replicas: 3, scalingLimited: { status: 'True', reason: 'ScaleUpLimit' } });
    expect(
      normalizeReplicas(input({ behavior, currentReplicas: 3, desiredReplicas: 8, now: t0 + 61_000, history }))
        .replicas,
    ).toBe(5);
  });

  it('selects the smaller policy with selectPolicy Min, and never scales down when Disabled', () => {
    const down: Behavior = {
      scaleDown: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Min',
        policies: [
          { type: 'Pods', value: 1, periodSeconds: 15 },
          { type: 'Percent', value: 50, periodSeconds: 15 },
        ],
      },
    };
    expect(normalizeReplicas(input({ behavior: down, currentReplicas: 10, desiredReplicas: 1 }))).toMatchObject({
      replicas: 9,
      scalingLimited: { reason: 'ScaleDownLimit' },
    });
    const disabled: Behavior = { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled' } };
    expect(normalizeReplicas(input({ behavior: disabled, currentReplicas: 10, desiredReplicas: 1 })).replicas).toBe(10);
  });

  it('honours a scale-up stabilisation window: the lowest recent recommendation wins', () => {
    const behavior: Behavior = { scaleUp: { stabilizationWindowSeconds: 60 } };
    const history = emptyHistory();
    normalizeReplicas(input({ behavior, currentReplicas: 2, desiredReplicas: 3, history }));
    const held = normalizeReplicas(
      input({ behavior, currentReplicas: 2, desiredReplicas: 6, now: t0 + 30_000, history }),
    );
    expect(held).toMatchObject({ replicas: 3, ableToScale: { reason: 'ScaleUpStabilized' } });
  });
});
