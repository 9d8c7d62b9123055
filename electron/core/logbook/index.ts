/** The main courante (logbook): its event type and its projection. Later issues extend it. */
import type { EventTypeDef, Projection } from '../store/types.js';
import { LOGBOOK_ENTRY, logbookEntryPayload } from './events.js';
import { logbookProjection } from './projection.js';

export { LOGBOOK_ENTRY, DEFAULT_CATEGORY, logbookEntryPayload, type LogbookEntryPayload } from './events.js';

export const eventTypes: readonly EventTypeDef[] = [{ type: LOGBOOK_ENTRY, schema: logbookEntryPayload }];
export const projections: readonly Projection[] = [logbookProjection];
