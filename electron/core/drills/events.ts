/** The drills module's events (electron/contract/drills.ts). Times are ms since epoch (UTC). */
import { z } from 'zod';
import { DRILL_MARKS, DRILL_MODES, DRILL_SCENARIOS } from '../../contract/drills.js';

export const DRILL_EVENTS = { started: 'drill.started', marked: 'drill.marked', ended: 'drill.ended' } as const;

const at = z.number().int().nonnegative();

export const startedSchema = z.object({
  drillId: z.uuid(),
  scenario: z.enum(DRILL_SCENARIOS),
  mode: z.enum(DRILL_MODES),
  at,
});
/** A mark reached; `eventId` is the log event that showed it (none for T0). */
export const markedSchema = z.object({
  drillId: z.uuid(),
  mark: z.enum(DRILL_MARKS),
  at,
  eventId: z.string().max(64).nullable(),
});
export const endedSchema = z.object({ drillId: z.uuid(), at });

export type StartedPayload = z.infer<typeof startedSchema>;
export type MarkedPayload = z.infer<typeof markedSchema>;
export type EndedPayload = z.infer<typeof endedSchema>;

export const drillEventTypes = [
  { type: DRILL_EVENTS.started, schema: startedSchema },
  { type: DRILL_EVENTS.marked, schema: markedSchema },
  { type: DRILL_EVENTS.ended, schema: endedSchema },
] as const;
