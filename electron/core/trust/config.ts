import { z } from 'zod';

/** `trust` in `<data>/vigie.json`: how often a signed checkpoint is written, and the optional RFC 3161 authority. */
export const trustConfigSchema = z
  .object({
    /** A checkpoint every N minutes when events were written since the last one (plus shift close and export). */
    checkpointMinutes: z.number().int().min(1).max(1440).default(15),
    /** RFC 3161 time-stamping authority (HTTP POST application/timestamp-query). Absent: no time-stamp. */
    tsaUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();
export type TrustConfig = z.output<typeof trustConfigSchema>;
