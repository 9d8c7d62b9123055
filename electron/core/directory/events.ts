/**
 * The directory's events (docs/architecture.md, rule 1): an entry saved (created or replaced as a whole)
 * and an entry removed. An import is many `directory.saved` appended in one transaction (store.appendAll),
 * so that a bad file leaves nothing behind. Times are ms since epoch (UTC).
 */
import { z } from 'zod';
import { DIRECTORY_CATEGORIES, dialTargetSchema, speedDialSchema } from '../../contract/index.js';

export const DIRECTORY_EVENTS = { saved: 'directory.saved', removed: 'directory.removed' } as const;

const at = z.number().int().nonnegative();

export const savedSchema = z.object({
  id: z.uuid(),
  name: z.string().min(1).max(120),
  category: z.enum(DIRECTORY_CATEGORIES),
  number: dialTargetSchema,
  notes: z.string().max(1000),
  speedDial: speedDialSchema.nullable(),
  at,
});
export const removedSchema = z.object({ id: z.uuid(), at });

export type SavedPayload = z.infer<typeof savedSchema>;
export type RemovedPayload = z.infer<typeof removedSchema>;

export const directoryEventTypes = [
  { type: DIRECTORY_EVENTS.saved, schema: savedSchema },
  { type: DIRECTORY_EVENTS.removed, schema: removedSchema },
] as const;
