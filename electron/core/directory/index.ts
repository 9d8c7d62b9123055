/**
 * The operational directory module (docs/architecture.md, "Modules"): the partner services the operator
 * transfers to or calls (SDIS, gendarmerie, SAMU, mairies…), with their numbers, notes and speed-dial keys.
 * Its schema part and service load nothing heavy.
 */
import type { CoreModule } from '../kernel/module.js';
import { DIRECTORY_EVENTS, directoryEventTypes } from './events.js';
import { migrations } from './migrations/index.js';
import { directoryProjection } from './projection.js';
import { createDirectoryHandlers } from './service.js';

export { DIRECTORY_EVENTS } from './events.js';

const CHANGES: readonly string[] = Object.values(DIRECTORY_EVENTS);

export const directoryModule: CoreModule = {
  name: 'directory',
  eventTypes: directoryEventTypes,
  projections: [directoryProjection],
  migrations,
  setup(ctx) {
    let queued = false;
    const changed = (): void => {
      if (queued) return;
      queued = true;
      setTimeout(() => {
        queued = false;
        ctx.emit({ type: 'directory.changed' });
      }, 0);
    };
    return {
      handlers: createDirectoryHandlers({ store: ctx.store, operator: () => ctx.port('operator')(), now: ctx.now }),
      // Any position's change (replicated ones too): the screens search again. The reactor runs once per
      // event; an import of hundreds of rows is pushed once (the events of one commit run in one turn).
      reactors: [{ name: 'annuaire', types: CHANGES, react: changed }],
    };
  },
};
