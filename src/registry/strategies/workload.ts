/**
 * Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers: kinds whose generation
 * tracks their spec, with the defaults of k8s.io/api/apps/v1 (and core/v1 for RCs) that controllers
 * and `kubectl describe` rely on before full OpenAPI defaulting lands.
 */

import { defaultTemplateAt } from '../../openapi/defaults/pod-spec.ts';
import { validateDeployment, validateReplicated } from '../../openapi/validation/semantic/workloads.ts';
import type { FieldError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import type { Strategy } from '../types.ts';
import { selectorErrors, selectorUpdateErrors } from './selector-checks.ts';
import { objectField, setDefault } from './shared.ts';

export const generationTrackingStrategy: Strategy = { tracksGeneration: true };

function replicatedDefaults(object: KubeObject): Record<string, unknown> {
  const spec = objectField(object, 'spec');
  setDefault(spec, 'replicas', 1);
  defaultTemplateAt(object, ['spec', 'template']);
  return spec;
}

/** A rolling update with the given defaults for its parameters, unless another type was chosen. */
function defaultRollingUpdate(spec: Record<string, unknown>, field: string, parameters: Record<string, unknown>): void {
  const strategy = objectField(spec, field);
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type !== 'RollingUpdate') return;
  const rolling = objectField(strategy, 'rollingUpdate');
  for (const [k, v] of Object.entries(parameters)) setDefault(rolling, k, v);
}

/** What every apps/v1 workload checks: its selector, and its spec (`check`). */
function appsRules(check: (object: KubeObject) => FieldError[]) {
  return {
    validate: (object: KubeObject) => [...selectorErrors(object), ...check(object)],
    validateUpdate: selectorUpdateErrors,
  } satisfies Partial<Strategy>;
}
const appsSelectorRules = appsRules(validateReplicated);

export const replicatedStrategy: Strategy = {
  tracksGeneration: true,
  defaults: replicatedDefaults,
  ...appsSelectorRules,
};

/** ReplicationControllers: an empty selector defaults to the template's labels (core/v1 SetDefaults_ReplicationController). */
export const replicationControllerStrategy: Strategy = {
  tracksGeneration: true,
  validate: validateReplicated,
  defaults(object) {
    const spec = replicatedDefaults(object);
    const labels = (objectField(objectField(spec, 'template'), 'metadata').labels ?? {}) as Record<string, string>;
    if (!spec.selector || Object.keys(spec.selector as object).length === 0) spec.selector = { ...labels };
    const metadata = object.metadata;
    if (!metadata.labels || Object.keys(metadata.labels).length === 0) metadata.labels = { ...labels };
  },
};

export const deploymentStrategy: Strategy = {
  tracksGeneration: true,
  ...appsRules(validateDeployment),
  defaults(object) {
    const spec = replicatedDefaults(object);
    defaultRollingUpdate(spec, 'strategy', { maxUnavailable: '25%', maxSurge: '25%' });
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
  },
};

export const statefulSetStrategy: Strategy = {
  tracksGeneration: true,
  ...appsSelectorRules,
  defaults(object) {
    const spec = replicatedDefaults(object);
    setDefault(spec, 'podManagementPolicy', 'OrderedReady');
    defaultRollingUpdate(spec, 'updateStrategy', { partition: 0 });
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
  },
};

export const daemonSetStrategy: Strategy = {
  tracksGeneration: true,
  ...appsSelectorRules,
  defaults(object) {
    const spec = objectField(object, 'spec');
    defaultTemplateAt(object, ['spec', 'template']);
    defaultRollingUpdate(spec, 'updateStrategy', { maxUnavailable: 1, maxSurge: 0 });
    setDefault(spec, 'revisionHistoryLimit', 10);
  },
};
