/**
 * The warnings a write earns (kube's strategy WarningsOnCreate/WarningsOnUpdate), collected once the
 * object has passed validation and sent as `Warning` headers. Pod templates are checked on create and
 * whenever an update changes them; custom resources on each newly added finalizer.
 */
import type { KubeObject } from '../../types/meta.ts';
import { isCustomResource } from '../custom-resources.ts';
import { deepEqual } from '../strategies/shared.ts';
import type { RequestContext, ResourceDef } from '../types.ts';
import { deprecatedNodeLabelWarnings } from './deprecated-node-labels.ts';
import { duplicateEnvWarnings } from './duplicate-env.ts';
import { duplicatePortWarnings } from './duplicate-ports.ts';
import { finalizerNameWarnings } from './finalizer-names.ts';
import { containerPath, containersOf, field, podTemplateOf } from './pod-templates.ts';

export function warningsFor(def: ResourceDef, object: KubeObject, old?: KubeObject): string[] {
  if (isCustomResource(def)) return finalizerNameWarnings(object, old);
  const at = podTemplateOf(def);
  const template = at?.template(object);
  const spec = field(template, 'spec');
  if (!at || !spec) return [];
  // A Pod is checked on every update; a workload only when its spec moved on (kube compares generations).
  if (old && def.kind !== 'Pod') {
    const unchanged = def.strategy.tracksGeneration
      ? object.metadata.generation === old.metadata.generation
      : deepEqual(template, at.template(old));
    if (unchanged) return [];
  }
  const specPath = at.specPath;
  const containers = containersOf(spec);
  const out: string[] = [];
  deprecatedNodeLabelWarnings(spec, specPath, out);
  for (const c of containers) duplicateEnvWarnings(c.container, () => containerPath(specPath, c), out);
  duplicatePortWarnings(containers, specPath, out);
  return out;
}

/** Adds this write's warnings to the request's, once each (a retried update must not repeat them). */
export function addWarnings(
  def: ResourceDef,
  object: KubeObject,
  old: KubeObject | undefined,
  context: RequestContext,
) {
  const found = warningsFor(def, object, old);
  if (!found.length) return;
  context.warnings ??= [];
  for (const text of found) if (!context.warnings.includes(text)) context.warnings.push(text);
}
