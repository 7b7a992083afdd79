/**
 * A StatefulSet pod's stable identity (kubernetes pkg/controller/statefulset stateful_set_utils):
 * name `<set>-<ordinal>`, hostname = name, subdomain = spec.serviceName, the labels
 * statefulset.kubernetes.io/pod-name, apps.kubernetes.io/pod-index and controller-revision-hash, and
 * one PersistentVolumeClaim per volumeClaimTemplate named `<template>-<set>-<ordinal>`, mounted in
 * place of any pod volume with the template's name.
 */
import { controllerRevisionHashLabel } from '../history/controller-revision.ts';
import { controllerRefFor } from '../pod-control/owner.ts';
import { podFromTemplate } from '../pod-control/pod-from-template.ts';
import type { Pod, PodTemplateSpec } from '../pod-control/types.ts';
import type { PersistentVolumeClaim, StatefulSet } from './types.ts';

export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';

export const startOrdinal = (set: Readonly<StatefulSet>) => set.spec?.ordinals?.start ?? 0;
export const replicasOf = (set: Readonly<StatefulSet>) => set.spec?.replicas ?? 1;

/** The ordinal in a pod's name when it is `<set>-<n>`, else undefined (not one of the set's pods). */
export function ordinalOf(set: Readonly<StatefulSet>, pod: Readonly<Pod>): number | undefined {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

export function claimName(set: Readonly<StatefulSet>, template: string, ordinal: number): string {
  return `${template}-${set.metadata.name}-${ordinal}`;
}

/** The claims a pod of `ordinal` needs, with the set's selector labels as the real controller adds. */
export function claimsFor(set: Readonly<StatefulSet>, ordinal: number): PersistentVolumeClaim[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => {
    const name = t.metadata?.name ?? '';
    const claim: PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(set, name, ordinal),
        namespace: set.metadata.namespace ?? '',
        labels: { ...t.metadata?.labels, ...set.spec?.selector?.matchLabels },
      },
      spec: structuredClone(t.spec ?? {}),
    };
    if (t.metadata?.annotations) claim.metadata.annotations = { ...t.metadata.annotations };
    if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') {
      claim.metadata.ownerReferences = [controllerRefFor(set)];
    }
    return claim;
  });
}

interface Volume {
  name: string;
  [field: string]: unknown;
}

export function statefulSetPod(
  set: Readonly<StatefulSet>,
  template: Readonly<PodTemplateSpec>,
  ordinal: number,
  revisionName: string,
): Pod {
  const pod = podFromTemplate(template, set);
  const name = `${set.metadata.name}-${ordinal}`;
  delete pod.metadata.generateName;
  pod.metadata.name = name;
  pod.metadata.labels = {
    ...pod.metadata.labels,
    [podNameLabel]: name,
    [podIndexLabel]: String(ordinal),
    [controllerRevisionHashLabel]: revisionName,
  };
  const spec = pod.spec ?? {};
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const templates = set.spec?.volumeClaimTemplates ?? [];
  if (templates.length) {
    const claimVolumes: Volume[] = templates.map((t) => ({
      name: t.metadata?.name ?? '',
      persistentVolumeClaim: { claimName: claimName(set, t.metadata?.name ?? '', ordinal) },
    }));
    const names = new Set(claimVolumes.map((v) => v.name));
    const others = ((spec.volumes as Volume[] | undefined) ?? []).filter((v) => !names.has(v.name));
    spec.volumes = [...claimVolumes, ...others];
  }
  pod.spec = spec;
  return pod;
}
