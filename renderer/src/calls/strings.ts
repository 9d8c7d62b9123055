import type { CallEndCause, CallStateName } from '../../../electron/contract/calls.js';
import type { WaitLevel } from './waitLevel.js';

/** Operator-facing words of the call queue, the active calls and the wrap-up. */
export const callStrings = {
  queueEmpty: 'Aucun appel en attente',
  mineEmpty: 'Pas d’appel en cours',
  ringingCount: (n: number) => (n === 0 ? 'aucun appel qui sonne' : n === 1 ? '1 appel sonne' : `${n} appels sonnent`),
  talking: (seconds: number) => `en ligne ${formatDuration(seconds)}`,
  heldFor: (seconds: number) => `en attente depuis ${formatDuration(seconds)}`,
  unknownCaller: 'Numéro masqué',
  answer: 'Décrocher',
  answerNext: 'Décrocher le plus urgent',
  hangup: 'Raccrocher',
  hold: 'Mettre en attente',
  resume: 'Reprendre',
  pending: (label: string) => `${label}… en cours`,
  timedOut: (label: string, s: number) =>
    `« ${label} » : pas de réponse du poste après ${s} s. La commande est abandonnée à l’écran ; les autres touches restent disponibles.`,
  answeredElsewhere: 'PRIS PAR UN AUTRE POSTE',
  waitLevels: {
    normal: { icon: '', word: '' },
    warn: { icon: '⚠', word: 'attente longue' },
    alarm: { icon: '‼', word: 'ATTENTE CRITIQUE' },
  } satisfies Record<WaitLevel, { icon: string; word: string }>,
  heldBadge: '⏸ EN ATTENTE',
  /** Issue 12 item 2: the registration was lost during the conversation. */
  signallingLost: 'signalisation perdue — l’appel continue tant que le son passe',
  /** Ringing when the registration was lost (call log, callbacks). */
  lostInOutage: 'perdu pendant la coupure',
  selected: 'choisi',
  states: {
    ringing: 'sonne',
    dialing: 'numérotation',
    active: 'en ligne',
    held: 'en attente',
    ended: 'terminé',
  } satisfies Record<CallStateName, string>,
  causes: {
    caller_hangup: 'l’appelant a raccroché',
    abandoned: 'abandonné avant réponse',
    answered_elsewhere: 'pris par un autre poste',
    operator_hangup: 'raccroché par l’opérateur',
    transferred: 'transféré',
    failed: 'échec',
    busy: 'occupé',
  } satisfies Record<CallEndCause, string>,
  wrapUp: {
    title: 'Clôture d’appel',
    of: (caller: string, line: string) => `${caller} · ${line}`,
    ended: (cause: string) => `terminé : ${cause}`,
    qualification: 'Qualification',
    choose: '— choisir —',
    notes: 'Notes',
    operation: 'Opération',
    noOperation: '— aucune —',
    submit: 'Clore l’appel (Ctrl+Entrée)',
    logbook: 'Inscrire en main courante',
    skip: 'Plus tard',
    saved: 'Appel clos',
    needQualification: 'Choisissez une qualification.',
    entryText: (caller: string, line: string, at: string, talk: string, notes: string) =>
      `Appel ${line} de ${caller} à ${at}${talk === '' ? '' : `, durée ${talk}`}${notes === '' ? '' : ` : ${notes}`}`,
  },
};

/** The caller as shown: the number, or « Numéro masqué » alone (never the SIP user « anonymous »). */
export const callerLabel = (caller: { number: string; name: string | null }): string => {
  if (caller.number === '') return callStrings.unknownCaller;
  const name = caller.name?.trim() ?? '';
  return name === '' || name === caller.number || /^anonymous$/i.test(name)
    ? caller.number
    : `${caller.number} — ${name}`;
};

export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}
