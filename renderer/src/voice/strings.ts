/** French texts of the voice feature. */
import type { VoiceAlarm } from '../../../electron/contract/voice.js';

export const voiceStrings = {
  ringBadge: '☎ SONNERIE',
  notificationTitle: (n: number) => (n === 1 ? 'Appel entrant — Vigie' : `${n} appels en attente — Vigie`),
  ringBlocked: (problem: string) => `⚠ Sonnerie inaudible : ${problem}`,
  alarms: {
    'no-rtp': 'Aucun son reçu de l’appelant',
    'inbound-silence': 'Silence entrant prolongé',
    'mic-silent': 'Micro muet : aucun signal du micro',
  } satisfies Record<VoiceAlarm, string>,
  panel: {
    title: 'Réglages audio du poste',
    microphone: 'Micro',
    fallback: 'Micro de secours',
    headset: 'Sortie casque',
    ring: 'Sortie sonnerie',
    secondRing: 'Seconde sonnerie (escalade)',
    systemDefault: 'Par défaut du système',
    none: 'Aucune',
    level: 'Niveau du micro',
    noOutputChoice: 'Ce navigateur ne permet pas de choisir la sortie audio : la sortie par défaut est utilisée.',
    saved: 'Réglages enregistrés pour ce poste.',
    selfTest: 'Lancer l’auto-test',
    selfTestRunning: 'Auto-test en cours…',
    close: 'Fermer (Échap)',
    noDevices: 'Périphériques audio inaccessibles sur cette page',
  },
  quality: {
    inbound: 'Reçu',
    outbound: 'Émis',
    line: (mos: string, loss: string, jitter: string, rtt: string) =>
      `MOS ${mos} · perte ${loss} % · gigue ${jitter} ms · aller-retour ${rtt}`,
    waiting: 'mesure en cours…',
    noReports: 'aucun rapport de réception (RTCP) du correspondant',
  },
};

/** French decimal comma. */
export const frNumber = (v: number, digits = 1): string =>
  v.toLocaleString('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits });
