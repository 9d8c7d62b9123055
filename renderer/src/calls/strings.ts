import type { CallEndCause, CallStateName } from '../../../electron/contract/calls.js';

/** Operator-facing words of the call queue and the active calls. */
export const callStrings = {
  queueEmpty: 'Aucun appel en attente',
  mineEmpty: 'Pas d’appel en cours',
  waiting: (seconds: number) => `attente ${formatDuration(seconds)}`,
  talking: (seconds: number) => `en ligne ${formatDuration(seconds)}`,
  unknownCaller: 'Numéro masqué',
  answer: 'Décrocher',
  answerNext: 'Décrocher le plus urgent',
  hangup: 'Raccrocher',
  hold: 'Mettre en attente',
  resume: 'Reprendre',
  keys: { answerNext: 'F9', hold: 'F10', hangup: 'F12' },
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
  count: (n: number) => (n === 0 ? '' : n === 1 ? '1 appel' : `${n} appels`),
};

export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}
