/**
 * Every domain module's event types and projections, in one list: used by createCore and by the CLI
 * commands (append, verify, rebuild…). Each feature adds its module here with one import and one spread.
 * The store's own event types (clock.skew) are registered by the store itself.
 */
import type { EventTypeDef, Projection } from './store/types.js';
import * as calls from './calls/index.js';
import * as logbook from './logbook/index.js';
import * as telephony from './telephony/events.js';

export const eventTypes: readonly EventTypeDef[] = [
  ...logbook.eventTypes,
  ...calls.eventTypes,
  ...telephony.eventTypes,
];
export const projections: readonly Projection[] = [...logbook.projections, ...calls.projections];
