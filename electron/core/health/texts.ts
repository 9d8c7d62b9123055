/**
 * The automatic main courante entries of the health module, in French, with Nouméa times
 * (electron/core/clock.ts). Pure functions: the reactor writes what they return.
 */
import { formatDuration } from '../../contract/durations.js';
import type { HealthCheckKind, HealthFault } from '../../contract/health.js';
import { formatNoumea } from '../clock.js';

/** "14:02:11": the time of day in Nouméa (the entry itself carries the date). */
export const noumeaTime = (ms: number): string => formatNoumea(ms).slice(-8);

const phrases: Record<HealthCheckKind, { lost: (label: string) => string; back: (label: string) => string }> = {
  telephony: { lost: () => 'Perte de la téléphonie IP', back: () => 'Rétablissement de la téléphonie IP' },
  'sip-process': { lost: () => 'Arrêt du processus SIP', back: () => 'Redémarrage du processus SIP' },
  database: { lost: () => 'Base locale non inscriptible', back: () => 'Base locale de nouveau inscriptible' },
  disk: { lost: () => 'Espace disque insuffisant', back: () => 'Espace disque de nouveau suffisant' },
  central: { lost: () => 'Perte de la base centrale', back: () => 'Rétablissement de la base centrale' },
  host: { lost: (label) => `Perte de l’hôte ${label}`, back: (label) => `Rétablissement de l’hôte ${label}` },
};

/** « Perte de la téléphonie IP à 14:02:11 (connexion fermée) ». */
export const lossText = (fault: HealthFault): string => {
  const detail = fault.detail.trim() === '' ? '' : ` (${fault.detail.trim().slice(0, 300)})`;
  return `${phrases[fault.kind].lost(fault.label)} à ${noumeaTime(fault.since)}${detail}`;
};

/** « Rétablissement de la téléphonie IP à 14:44:21 ». */
export const restoreText = (fault: HealthFault, at: number): string =>
  `${phrases[fault.kind].back(fault.label)} à ${noumeaTime(at)}`;

const plural = (n: number, one: string, many: string): string => `${n} ${n > 1 ? many : one}`;

export interface OutageSummary {
  entries: number;
  manualCalls: number;
  durationMs: number;
}

/** « Pendant la coupure : 12 inscriptions, 5 appels manuels, durée 00:42:10 ». */
export const summaryText = (summary: OutageSummary): string =>
  `Pendant la coupure : ${plural(summary.entries, 'inscription', 'inscriptions')}, ${plural(
    summary.manualCalls,
    'appel manuel',
    'appels manuels',
  )}, durée ${formatDuration(summary.durationMs)}`;
