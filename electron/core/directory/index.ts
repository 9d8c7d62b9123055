/**
 * The operational directory module (docs/architecture.md, "Modules"): the partner services the operator
 * transfers to or calls (SDIS, gendarmerie, SAMU, mairies…), with their numbers, notes and speed-dial keys.
 * Its schema part and service load nothing heavy.
 */
import { VigieError } from '../../contract/result.js';
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
      handlers: createDirectoryHandlers({
        store: ctx.store,
        operator: () => ctx.port('operator')(),
        // Reference data of the whole room: kept by the chef de salle and the technician, as the roster is
        // (logbook/roles.ts); an operator searches and calls. The CLI (console stopped) is the technician's.
        checkEdit: () => {
          const session = ctx.port('session').current();
          if (session === null) throw new VigieError('forbidden', 'Identifiez-vous (F8) pour modifier l’annuaire.');
          if (session.role === 'operateur')
            throw new VigieError('forbidden', 'Modifier l’annuaire est réservé au chef de salle et au technicien.');
        },
        now: ctx.now,
      }),
      // Any position's change (replicated ones too): the screens search again. The reactor runs once per
      // event; an import of hundreds of rows is pushed once (the events of one commit run in one turn).
      reactors: [{ name: 'annuaire', types: CHANGES, react: changed }],
    };
  },
};
