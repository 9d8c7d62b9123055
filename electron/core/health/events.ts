/**
 * The health module's events: each transition of the state machine (state.ts), the acknowledgement of the
 * banner, and the calls taken on backup means. Times are ms since epoch (UTC), as in the telephony events.
 */
import { z } from 'zod';
import { BACKUP_MEANS, HEALTH_CHECKS } from '../../contract/health.js';

export const HEALTH_EVENTS = {
  degraded: 'health.degraded',
  recovering: 'health.recovering',
  nominal: 'health.nominal',
  acknowledged: 'health.acknowledged',
  manualCall: 'call.manual',
} as const;

const at = z.number().int().nonnegative();

export const faultSchema = z.object({
  check: z.string().min(1).max(120),
  kind: z.enum(HEALTH_CHECKS),
  label: z.string().max(200),
  detail: z.string().max(500),
  since: at,
});

/** Entering DEGRADED, or its faults changed: the whole list, and what was added or cleared by this step. */
export const degradedSchema = z.object({
  since: at,
  at,
  faults: z.array(faultSchema).min(1).max(50),
  added: z.array(faultSchema).max(50),
  cleared: z.array(faultSchema).max(50),
});
export const recoveringSchema = z.object({ since: at, at, cleared: z.array(faultSchema).max(50) });
/** Back to NOMINAL: the outage's figures, as the summary entry says them. */
export const nominalSchema = z.object({
  since: at,
  at,
  durationMs: z.number().int().nonnegative(),
  entries: z.number().int().nonnegative(),
  manualCalls: z.number().int().nonnegative(),
});
export const acknowledgedSchema = z.object({ since: at, at, by: z.string().min(1).max(120) });

export const manualCallSchema = z.object({
  id: z.uuid(),
  takenAt: at,
  line: z.string().min(1).max(60),
  callerNumber: z.string().max(32),
  nature: z.string().min(1).max(120),
  notes: z.string().max(2000),
  means: z.enum(BACKUP_MEANS),
  position: z.string().min(1).max(40),
  outageSince: at.nullable(),
  at,
});

export type DegradedPayload = z.infer<typeof degradedSchema>;
export type RecoveringPayload = z.infer<typeof recoveringSchema>;
export type NominalPayload = z.infer<typeof nominalSchema>;
export type AcknowledgedPayload = z.infer<typeof acknowledgedSchema>;
export type ManualCallPayload = z.infer<typeof manualCallSchema>;

export const healthEventTypes = [
  { type: HEALTH_EVENTS.degraded, schema: degradedSchema },
  { type: HEALTH_EVENTS.recovering, schema: recoveringSchema },
  { type: HEALTH_EVENTS.nominal, schema: nominalSchema },
  { type: HEALTH_EVENTS.acknowledged, schema: acknowledgedSchema },
  { type: HEALTH_EVENTS.manualCall, schema: manualCallSchema },
] as const;

/** The telephony facts the module reacts to (the SIP process supervisor adds crashed/restarted). */
export const TELEPHONY_FACTS = {
  lost: 'telephony.lost',
  registered: 'telephony.registered',
  disabled: 'telephony.disabled',
  crashed: 'telephony.crashed',
  restarted: 'telephony.restarted',
} as const;
