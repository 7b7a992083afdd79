import type { KubectlVersion } from '../support/tools.ts';

/** The kubectl versions every end-to-end test runs through: both ends of the range and two between. */
export const e2eVersions: readonly KubectlVersion[] = ['1.27', '1.30', '1.33', '1.35'];

/** stderr lines that mean discovery or the API is broken for this client. */
export const discoveryTrouble =
  /couldn't get|unable to retrieve|the server could not find|does not have a resource type|memcache|Unhandled Error/i;
