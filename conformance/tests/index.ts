/** Every conformance test, in the order the runner starts them (slow controller tests first). */
import type { ConformanceTest } from '../suite.ts';
import { apiOperationsTests } from './api-operations-table.ts';
import { customResourceTests } from './apimachinery/custom-resources.ts';
import { discoveryTests } from './apimachinery/discovery.ts';
import { apimachineryFirstWaveTests } from './apimachinery/first-wave.ts';
import { garbageCollectorTests } from './apimachinery/garbage-collector.ts';
import { kubectlDiscoveryTests } from './apimachinery/kubectl.ts';
import { namespaceTests } from './apimachinery/namespaces.ts';
import { resourceQuotaTests } from './apimachinery/resource-quotas.ts';
import { watcherTests } from './apimachinery/watchers.ts';
import { appsApiObjectTests } from './apps/api-objects.ts';
import { cronJobTests } from './apps/cronjobs.ts';
import { daemonSetTests } from './apps/daemonsets.ts';
import { deploymentTests } from './apps/deployments.ts';
import { appsFirstWaveTests } from './apps/first-wave.ts';
import { jobTests } from './apps/jobs.ts';
import { replicationTests } from './apps/replication.ts';
import { scaleTests } from './apps/scale.ts';
import { authTests } from './auth/auth.ts';
import { kubectlClientTests } from './core/kubectl.ts';
import { nodeTests } from './core/node.ts';
import { coreObjectTests } from './core/objects.ts';
import { endpointTests } from './network-objects/endpoints.ts';
import { serviceTests } from './network-objects/services.ts';
import { schedulerPredicateTests } from './scheduling/predicates.ts';
import { volumeTests } from './storage-objects/volumes.ts';

export const allTests: readonly ConformanceTest[] = [
  ...cronJobTests,
  ...schedulerPredicateTests,
  ...appsFirstWaveTests,
  ...replicationTests,
  ...deploymentTests,
  ...daemonSetTests,
  ...jobTests,
  ...appsApiObjectTests,
  ...garbageCollectorTests,
  ...apimachineryFirstWaveTests,
  ...endpointTests,
  ...serviceTests,
  ...customResourceTests,
  ...discoveryTests,
  ...watcherTests,
  ...namespaceTests,
  ...resourceQuotaTests,
  ...scaleTests,
  ...coreObjectTests,
  ...nodeTests,
  ...kubectlClientTests,
  ...volumeTests,
  ...authTests,
  ...kubectlDiscoveryTests,
  ...apiOperationsTests,
];
