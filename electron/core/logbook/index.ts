/** The main courante (logbook): entries, corrections, sessions, shifts and operations. See service.ts. */
import type { EventTypeDef, Projection } from '../store/types.js';
import { logbookEventTypes } from './event-types.js';
import { logbookProjections } from './projections.js';

export { LOGBOOK_ENTRY, DEFAULT_CATEGORY, logbookEntryPayload, type LogbookEntryPayload } from './events.js';
export { createLogbookService, type LogbookService, type LogbookHandlers, type LogbookMethod } from './service.js';
export type { LogbookServiceOptions, LogbookServiceEvent } from './context.js';

export const eventTypes: readonly EventTypeDef[] = logbookEventTypes;
export const projections: readonly Projection[] = logbookProjections;
