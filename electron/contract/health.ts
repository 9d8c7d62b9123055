/**
 * Degraded mode (docs/architecture.md, "Modules"): what the health module tells the screen — what is down,
 * since when, the acknowledgement of the banner — and the calls taken on backup means during an outage.
 */
import { z } from 'zod';

export const HEALTH_PHASES = ['nominal', 'degraded', 'recovering'] as const;
export type HealthPhase = (typeof HEALTH_PHASES)[number];

/** What a check watches: the SIP registration, the SIP process, the local database, its disk, a host. */
export const HEALTH_CHECKS = ['telephony', 'sip-process', 'database', 'disk', 'host', 'central'] as const;
export type HealthCheckKind = (typeof HEALTH_CHECKS)[number];

export interface HealthFault {
  /** 'telephony', 'sip-process', 'database', 'disk', 'central' (replication's PostgreSQL), or 'host:NAME'. */
  check: string;
  kind: HealthCheckKind;
  /** French, for the banner: « Téléphonie IP », « Hôte standard-central (10.0.0.5:5060) ». */
  label: string;
  /** French, what the probe or the SIP stack said. */
  detail: string;
  /** ms since epoch: when this fault was seen first. */
  since: number;
}

export interface HealthView {
  phase: HealthPhase;
  /** Start of the outage (first fault), null when nominal. */
  since: number | null;
  faults: HealthFault[];
  /** When the last fault cleared (RECOVERING), else null. */
  restoredAt: number | null;
  /** The banner of this outage was acknowledged: by whom, when. */
  acknowledged: { by: string; at: number } | null;
  /** Recorded at this position since the outage began (automatic entries left out). */
  counts: { entries: number; manualCalls: number };
}

export const BACKUP_MEANS = ['gsm', 'satellite', 'analogique', 'radio'] as const;
export type BackupMeans = (typeof BACKUP_MEANS)[number];
export const BACKUP_MEANS_LABELS: Record<BackupMeans, string> = {
  gsm: 'GSM',
  satellite: 'Satellite',
  analogique: 'Ligne analogique',
  radio: 'Radio',
};

export interface ManualCall {
  id: string;
  /** ms since epoch: when the call was taken (typed by the operator). */
  takenAt: number;
  line: string;
  callerNumber: string;
  nature: string;
  notes: string;
  means: BackupMeans;
  author: string;
  position: string;
  /** Start of the outage during which it was recorded, null outside an outage. */
  outageSince: number | null;
  /** ms since epoch: when it was written. */
  recordedAt: number;
}

const shortText = (max: number, what: string) => z.string().trim().max(max, `${what} : ${max} caractères au plus`);

export const manualCallArgsSchema = z
  .object({
    /** ISO 8601 instant; default: now. */
    takenAt: z.iso.datetime({ offset: true, message: 'heure de l’appel invalide' }).optional(),
    line: shortText(60, 'ligne').min(1, 'ligne obligatoire'),
    callerNumber: shortText(32, 'numéro').regex(/^[0-9+*#() .-]*$/, 'numéro : chiffres, +, espaces, tirets'),
    nature: shortText(120, 'nature').min(1, 'nature de l’appel obligatoire'),
    notes: shortText(2000, 'notes').default(''),
    means: z.enum(BACKUP_MEANS, { message: 'moyen de secours : GSM, satellite, analogique ou radio' }),
  })
  .strict();

export const healthRequests = {
  'health.get': z.object({}).strict(),
  /** The operator saw the banner of the current outage. */
  'health.acknowledge': z.object({}).strict(),
  'health.recordManualCall': manualCallArgsSchema,
  'health.manualCalls': z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
};

export interface HealthResults {
  'health.get': HealthView;
  'health.acknowledge': HealthView;
  'health.recordManualCall': ManualCall;
  'health.manualCalls': ManualCall[];
}

export type HealthEvent = { type: 'health'; health: HealthView } | { type: 'call.manual'; call: ManualCall };
