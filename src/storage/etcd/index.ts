export {
  type EtcdCluster,
  type EtcdClusterMember,
  type EtcdServer,
  startEtcd,
  startEtcdCluster,
} from './etcd-process.ts';
export { createEtcdStore, type EtcdStoreOptions } from './etcd-store.ts';
