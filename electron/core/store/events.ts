import { z } from 'zod';
import type { EventTypeDef } from './types.js';

/**
 * The only event the store writes by itself: a clock found far ahead (docs/architecture.md, rule 4 — flagged, never
 * fatal). `source: 'local'` — this database's HLC is ahead of the wall clock by `skewMs` (the wall clock
 * went back, or an earlier remote clock pushed the HLC ahead); `'remote'` — a received HLC (`remote`) is
 * ahead of the local wall clock by `skewMs`. Written at most once per episode and per open store.
 */
export const clockSkewPayload = z.object({
  source: z.enum(['local', 'remote']),
  skewMs: z.number().int(),
  physicalMs: z.number().int(),
  clock: z.string(),
  remote: z.string().optional(),
});
export type ClockSkewPayload = z.infer<typeof clockSkewPayload>;

export const CLOCK_SKEW = 'clock.skew';
/** Author of the events the store writes itself. */
export const STORE_AUTHOR = 'vigie';

export const storeEventTypes: readonly EventTypeDef[] = [{ type: CLOCK_SKEW, schema: clockSkewPayload }];
