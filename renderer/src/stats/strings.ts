/** French strings of the supervisor's figures (one place for the feature). */
export const statsStrings = {
  title: 'Indicateurs du traitement des appels',
  period: (from: string, to: string) => `Période : ${from} → ${to}`,
  ranges: { shift: '12 dernières heures', day: '24 dernières heures', week: '7 derniers jours' },
  rangeLabel: 'Période',
  loading: 'Calcul en cours…',
  presented: 'Appels présentés',
  answered: 'Décrochés',
  abandoned: 'Abandonnés',
  abandonRate: 'Taux d’abandon',
  outgoing: 'Appels sortants',
  median: 'Délai de décroché médian',
  p90: '90e centile',
  within: (s: number) => `Décrochés en ${s} s au plus`,
  goal: (s: number) => (s === 15 ? 'objectif NENA : 90 %' : s === 20 ? 'objectif NENA : 95 %' : 'référence NFPA 1225'),
  belowGoal: 'sous l’objectif',
  callbacks: 'Rappels effectués',
  callbackDelay: 'Délai de rappel médian',
  distribution: 'Répartition des délais de décroché',
  bucket: (from: number, to: number | null) => (to === null ? `plus de ${from} s` : `${from} à ${to} s`),
  byLine: 'Par ligne',
  byHour: 'Par heure',
  hour: (hh: string) => `${hh} h`,
  byOperator: 'Par opérateur',
  /** Short headers: four tables share the width of a 1366 px screen. */
  columns: ['', 'prés.', 'décr.', 'aband.', 'médian'] as const,
  none: '—',
  csv: 'Exporter en CSV',
  close: 'Fermer (Échap)',
  error: (message: string) => `Indicateurs indisponibles : ${message}`,
};

export const seconds = (ms: number | null): string =>
  ms === null ? statsStrings.none : `${(ms / 1000).toFixed(1).replace('.', ',')} s`;
export const percent = (value: number | null): string =>
  value === null ? statsStrings.none : `${String(value).replace('.', ',')} %`;
