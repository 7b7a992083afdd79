/**
 * Services: DNS-1035 names, defaults, and the immutability of clusterIP. Allocation of cluster IPs and
 * node ports needs registry state, so it lives in ../allocators and is called by the service hooks.
 */
import { validateService } from '../../openapi/validation/semantic/core-objects.ts';
import type { Strategy } from '../types.ts';
import { arrayField, immutable, objectField, setDefault } from './shared.ts';

export const serviceStrategy: Strategy = {
  nameValidation: 'dns1035',
  defaults(object) {
    const spec = objectField(object, 'spec');
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    if (spec.type !== 'ExternalName') {
      setDefault(spec, 'ipFamilies', ['IPv4']);
      setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
      setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    }
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
    if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
    // Three hours of stickiness unless said otherwise (core/v1 DefaultClientIPServiceAffinitySeconds).
    if (spec.sessionAffinity === 'ClientIP') {
      setDefault(objectField(objectField(spec, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds', 10800);
    }
    for (const port of arrayField(spec, 'ports')) {
      setDefault(port, 'protocol', 'TCP');
      setDefault(port, 'targetPort', port.port);
    }
  },
  validate: validateService,
  prepareForCreate(object) {
    object.status = { loadBalancer: {} };
  },
  prepareForUpdate(object, old) {
    // An update that leaves clusterIP out keeps the allocated one (as kubectl replace does).
    const spec = objectField(object, 'spec');
    const oldSpec = objectField(old, 'spec');
    if (!spec.clusterIP && oldSpec.clusterIP) {
      spec.clusterIP = oldSpec.clusterIP;
      spec.clusterIPs = oldSpec.clusterIPs;
    }
  },
  validateUpdate(object, old) {
    const spec = objectField(object, 'spec');
    const oldSpec = objectField(old, 'spec');
    if (!oldSpec.clusterIP || spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return [];
    return immutable('spec.clusterIPs[0]', spec.clusterIP, oldSpec.clusterIP).map((e) => ({
      ...e,
      detail: 'may not change once set',
    }));
  },
};
