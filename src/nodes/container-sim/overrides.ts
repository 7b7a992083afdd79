/**
 * The pod annotations that override a simulated program (documented in src/nodes/README.md):
 * `sim.wharf.dev/duration` makes each app container run that long (its log lines still appear, at
 * the start) and `sim.wharf.dev/exit-code` sets the code it ends with.
 */
import { parseDurationMs } from './duration.ts';
import type { Effect } from './run-program.ts';

export const durationAnnotation = 'sim.wharf.dev/duration';
export const exitCodeAnnotation = 'sim.wharf.dev/exit-code';

/** A server program given only an exit code runs this long before it ends with it. */
const defaultRunMs = 1000;

export interface Overrides {
  durationMs?: number;
  exitCode?: number;
}

export function overridesFrom(annotations: Readonly<Record<string, string>> | undefined): Overrides {
  const overrides: Overrides = {};
  const duration = annotations?.[durationAnnotation];
  const durationMs = duration === undefined ? undefined : parseDurationMs(duration);
  if (durationMs !== undefined) overrides.durationMs = durationMs;
  const code = Number.parseInt(annotations?.[exitCodeAnnotation] ?? '', 10);
  if (!Number.isNaN(code)) overrides.exitCode = code & 0xff;
  return overrides;
}

export function* withOverrides(effects: Iterable<Effect>, overrides: Overrides): Generator<Effect, void, void> {
  const { durationMs, exitCode } = overrides;
  if (durationMs === undefined && exitCode === undefined) {
    yield* effects;
    return;
  }
  let programCode = 0;
  let guard = 0;
  for (const effect of effects) {
    // A `while true` loop under a fixed duration never ends by itself: its first steps are enough.
    if (durationMs !== undefined && ++guard > 1000) break;
    if (effect.type === 'log') {
      yield effect;
    } else if (effect.type === 'sleep') {
      if (durationMs === undefined) yield effect;
    } else if (effect.type === 'exit') {
      programCode = effect.code;
      break;
    } else {
      if (durationMs === undefined) yield { type: 'sleep', ms: defaultRunMs };
      break;
    }
  }
  if (durationMs !== undefined) yield { type: 'sleep', ms: durationMs };
  yield { type: 'exit', code: exitCode ?? programCode };
}
