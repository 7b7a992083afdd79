/**
 * The real store, registry and API app. Loaded by startCluster with a dynamic import, so that
 * `wharf --help` and tests with stand-in parts never pay for loading them.
 */
import { createApp } from '../api/app.ts';
import { createRegistry } from '../registry/registry.ts';
import { openStore } from '../storage/index.ts';
import type { ClusterParts } from './cluster-parts.ts';

export const defaultParts: ClusterParts = { openStore, createRegistry, createApp };
