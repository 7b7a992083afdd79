import type { Verb } from '../../registry/types.ts';
import { handleDelete, handleDeleteCollection } from './delete.ts';
import { handleGet, handleList } from './read.ts';
import type { VerbHandler } from './resource-request.ts';
import { handleWatch } from './watch.ts';
import { handleCreate, handlePatch, handleUpdate } from './write.ts';

export const verbHandlers: Readonly<Record<Verb, VerbHandler>> = {
  get: handleGet,
  list: handleList,
  watch: handleWatch,
  create: handleCreate,
  update: handleUpdate,
  patch: handlePatch,
  delete: handleDelete,
  deletecollection: handleDeleteCollection,
};
