/** The modules' declarations as the store checks them before it opens anything (docs/architecture.md, "Modules"). */
import type { z } from 'zod';
import { StoreError } from './errors.js';
import { storeEventTypes } from './events.js';
import type { RemoteCheck } from './remote-checks.js';
import type { ModuleSchema } from './types.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every event type (the store's first) by name; refuses a type or projection declared twice, a bad table name. */
export const buildTypeTable = (modules: readonly ModuleSchema[]): Map<string, z.ZodType> => {
  const table = new Map<string, z.ZodType>();
  for (const def of [...storeEventTypes, ...modules.flatMap((m) => m.eventTypes)]) {
    if (table.has(def.type)) throw new StoreError('invalid', `type d'événement déclaré deux fois : ${def.type}`);
    table.set(def.type, def.schema);
  }
  const names = new Set<string>();
  for (const projection of modules.flatMap((m) => m.projections)) {
    if (names.has(projection.name))
      throw new StoreError('invalid', `projection déclarée deux fois : ${projection.name}`);
    names.add(projection.name);
    for (const t of [...projection.tables, ...(projection.ftsMergeTables ?? [])])
      if (!IDENTIFIER.test(t)) throw new StoreError('invalid', `nom de table invalide : ${t}`);
  }
  return table;
};

/** The remote checks of the declared event types (remote-checks.ts), by type; buildTypeTable refused duplicates. */
export const buildRemoteChecks = (modules: readonly ModuleSchema[]): Map<string, RemoteCheck> =>
  new Map(
    modules.flatMap((m) =>
      m.eventTypes.flatMap((d) => (d.remoteCheck === undefined ? [] : [[d.type, d.remoteCheck] as const])),
    ),
  );
