/**
 * The main courante (logbook) module: entries, corrections, sessions, shifts, operations and export.
 * Its schema part (event types, projections, migrations) is cheap to import; its service is loaded by
 * `setup` (docs/architecture.md, "Modules").
 */
import { join } from 'node:path';
import type { Session } from '../../contract/session.js';
import type { CoreModule } from '../kernel/module.js';
import { logbookEventTypes } from './event-types.js';
import { migrations as logbookMigrations } from './migrations/index.js';
import { logbookProjections } from './projections.js';
import { pinKeyPath } from './pin-key.js';
import type { Action } from './roles.js';

export { LOGBOOK_ENTRY, DEFAULT_CATEGORY, logbookEntryPayload, type LogbookEntryPayload } from './events.js';
export type { LogbookService, LogbookHandlers, LogbookMethod } from './service.js';
export type { LogbookServiceOptions, LogbookServiceEvent } from './context.js';

declare module '../kernel/module.js' {
  interface Ports {
    /** Who signs what is written at this position: the signed-in user, else the position's name. */
    operator: () => string;
    /** The signed-in session, and the check of a role's right (drills, operations…). */
    session: { current(): Session | null; require(action: Action): Session };
  }
}

export const logbookModule: CoreModule = {
  name: 'logbook',
  eventTypes: logbookEventTypes,
  projections: logbookProjections,
  migrations: logbookMigrations,
  async setup(ctx) {
    const { createLogbookService, FORWARDED_EVENTS } = await import('./service.js');
    const logbook = createLogbookService(ctx.store, {
      positionName: ctx.config.positionName,
      directorate: ctx.config.directorate,
      exportDir: join(ctx.options.dataDir, 'exports'),
      pinKeyFile: pinKeyPath(ctx.options.dataDir),
      operatorPinRequired: ctx.config.operatorPinRequired,
      beforeExport: () => {
        // A module list without the trust module (some tests) exports without a new checkpoint.
        let trust: ReturnType<typeof ctx.port<'trust'>> | undefined;
        try {
          trust = ctx.port('trust');
        } catch {
          return;
        }
        trust.checkpoint('export');
      },
      now: ctx.now,
      emit: ctx.emit,
    });
    return {
      handlers: logbook.handlers,
      reactors: [{ name: 'écran', types: FORWARDED_EVENTS, react: logbook.forward }],
      provides: {
        operator: () => logbook.currentSession()?.userName ?? ctx.config.positionName,
        session: { current: logbook.currentSession, require: logbook.requirePermission },
      },
    };
  },
};
