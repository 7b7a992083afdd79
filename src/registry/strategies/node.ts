/** Nodes: the kubelet registers a node with its status, so create keeps it (unlike most kinds). */
import type { Strategy } from '../types.ts';

export const nodeStrategy: Strategy = { keepsStatusOnCreate: true };
