/**
 * The schema part (event types, projections, migrations) of today's three domain modules, for openStore.
 * Temporary: built from the modules' current exports until each module folder exports its own CoreModule
 * (kernel/module.ts); then this list is replaced by the real module list.
 */
import * as calls from './calls/index.js';
import { migrations as callsMigrations } from './calls/migrations/index.js';
import * as logbook from './logbook/index.js';
import { migrations as logbookMigrations } from './logbook/migrations/index.js';
import * as telephony from './sip/events.js';
import type { ModuleSchema } from './store/types.js';

export const legacySchemas: readonly ModuleSchema[] = [
  {
    name: 'logbook',
    eventTypes: logbook.eventTypes,
    projections: logbook.projections,
    migrations: logbookMigrations,
  },
  { name: 'calls', eventTypes: calls.eventTypes, projections: calls.projections, migrations: callsMigrations },
  { name: 'telephony', eventTypes: telephony.eventTypes, projections: [], migrations: [] },
];
