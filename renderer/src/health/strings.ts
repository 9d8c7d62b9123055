import type { BackupMeans, HealthCheckKind } from '../../../electron/contract/health.js';

/** Degraded mode, in French: the banner and the manual call form. */
export const healthStrings = {
  // Declared with every other key in renderer/src/shortcuts.ts (F1 shows them); F6 is the callbacks'.
  keys: { manualCall: 'Alt+M', acknowledge: 'Alt+A' },
  title: 'MODE DÉGRADÉ',
  recovering: 'RÉTABLISSEMENT EN COURS',
  since: (time: string) => `depuis ${time}`,
  down: (label: string, time: string) => `${label} — hors service depuis ${time}`,
  whatWorks:
    'Fonctionnent encore : la main courante, le journal local du poste et la saisie des appels pris sur les moyens de secours.',
  whatWorksByKind: {
    telephony: 'Prenez les appels sur GSM, satellite, ligne analogique ou radio, et saisissez-les.',
    'sip-process': 'Prenez les appels sur GSM, satellite, ligne analogique ou radio, et saisissez-les.',
    database: 'Le journal local n’accepte plus d’écriture : notez sur papier et prévenez le technicien.',
    disk: 'Le disque du poste est presque plein : prévenez le technicien.',
    host: 'Les échanges avec ce serveur sont suspendus ; le poste continue seul.',
    central:
      'La main courante et le journal des appels restent enregistrés sur ce poste ; ils partiront vers les autres postes au retour de la base centrale.',
  } satisfies Record<HealthCheckKind, string>,
  acknowledge: 'Acquitter',
  acknowledged: (by: string, time: string) => `acquitté par ${by} à ${time}`,
  counts: (entries: number, calls: number) =>
    `Pendant la coupure : ${entries} inscription${entries > 1 ? 's' : ''}, ${calls} appel${calls > 1 ? 's' : ''} manuel${calls > 1 ? 's' : ''}`,
  manualCall: 'Appel manuel',
  form: {
    title: 'Saisie d’un appel manuel',
    time: 'Heure (hh:mm)',
    line: 'Ligne',
    caller: 'Numéro de l’appelant',
    nature: 'Nature',
    notes: 'Notes',
    means: 'Moyen de secours',
    submit: 'Enregistrer',
    cancel: 'Annuler',
    help: 'Entrée enregistre · Échap ferme · Ctrl+Entrée dans les notes',
    badTime: 'Heure invalide : saisissez hh:mm (ex. 14:05).',
    lineMissing: 'Indiquez la ligne sur laquelle l’appel est arrivé.',
    natureMissing: 'Indiquez la nature de l’appel.',
    saved: (line: string, time: string) => `Appel manuel enregistré : ligne ${line} à ${time}.`,
  },
  means: {
    gsm: 'GSM',
    satellite: 'Satellite',
    analogique: 'Ligne analogique',
    radio: 'Radio',
  } satisfies Record<BackupMeans, string>,
};
