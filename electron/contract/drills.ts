/**
 * Degraded-mode drills (docs/architecture.md, "Modules"): started by a technicien or a chef de salle,
 * simulated (the console cuts its own SIP transport in-process) or observed (a real cut made by the
 * technicians; the console only records). The timeline is marked from the log's own events.
 */
import { z } from 'zod';
import type { StatsFigures } from './stats.js';

export const DRILL_SCENARIOS = ['telephony', 'media-relay', 'central', 'network'] as const;
export type DrillScenario = (typeof DRILL_SCENARIOS)[number];
export const DRILL_SCENARIO_LABELS: Record<DrillScenario, string> = {
  telephony: 'Perte de la téléphonie IP',
  'media-relay': 'Perte du relais média',
  central: 'Perte de la base centrale',
  network: 'Perte de tout le réseau',
};

export const DRILL_MODES = ['simulated', 'observed'] as const;
export type DrillMode = (typeof DRILL_MODES)[number];
export const DRILL_MODE_LABELS: Record<DrillMode, string> = {
  simulated: 'simulé (coupure faite par la console)',
  observed: 'observé (coupure réelle faite par les techniciens)',
};

/** The timeline, in the order a drill goes through it (issue: T0 … T-recovered). */
export const DRILL_MARKS = ['t0', 'detect', 'ack', 'firstManual', 'restore', 'recovered'] as const;
export type DrillMark = (typeof DRILL_MARKS)[number];
export const DRILL_MARK_LABELS: Record<DrillMark, string> = {
  t0: 'T0 — début, panne injectée',
  detect: 'T-détection — la console a vu la panne',
  ack: 'T-acquittement — bandeau acquitté',
  firstManual: 'T-premier-manuel — premier appel ou inscription manuels',
  restore: 'T-rétablissement — le service est revenu',
  recovered: 'T-rétabli — réenregistré, file vidée',
};

export interface Drill {
  id: string;
  scenario: DrillScenario;
  mode: DrillMode;
  startedAt: number;
  startedBy: string;
  endedAt: number | null;
  endedBy: string | null;
  /** A simulated drill whose cut is still in place (false once restored, and for an observed drill). */
  cutActive: boolean;
  /** ms since epoch of each mark reached so far. */
  marks: Partial<Record<DrillMark, number>>;
}

export interface DrillReport {
  drill: Drill;
  /** From T0 to each mark, ms; null when the mark was not reached. */
  durations: Record<DrillMark, number | null>;
  counts: { entries: number; manualCalls: number; calls: number };
  /** Call-handling figures during the drill, and over the same shift before it. */
  figures: { drill: StatsFigures; before: StatsFigures };
  integrity: { ok: boolean; events: number; missing: number[]; detail: string };
}

export const drillsRequests = {
  'drills.start': z
    .object({
      scenario: z.enum(DRILL_SCENARIOS, { message: 'scénario inconnu' }),
      mode: z.enum(DRILL_MODES, { message: 'mode : simulé ou observé' }),
    })
    .strict(),
  /** A simulated drill: lift the cut the console made (the service may now come back). Observed: refused. */
  'drills.restore': z.object({}).strict(),
  /** Ends the current drill (restores what a simulated one cut) and writes its report. */
  'drills.stop': z.object({}).strict(),
  'drills.current': z.object({}).strict(),
  'drills.list': z.object({ limit: z.number().int().min(1).max(200).default(20) }).strict(),
  'drills.report': z.object({ drillId: z.uuid({ message: 'exercice inconnu' }) }).strict(),
};

export interface DrillsResults {
  'drills.start': Drill;
  'drills.restore': Drill;
  'drills.stop': DrillReport;
  'drills.current': Drill | null;
  'drills.list': Drill[];
  /** The report, and its PDF (base64: the page offers it as a download). */
  'drills.report': { report: DrillReport; filename: string; pdfBase64: string };
}

export type DrillsEvent = { type: 'drill'; drill: Drill | null };
