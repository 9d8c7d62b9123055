/** Words of the callbacks (rappels) panel. */
export const callbackStrings = {
  title: 'Rappels',
  empty: 'Aucun rappel en attente',
  count: (n: number) => (n === 0 ? '' : n === 1 ? '1 à rappeler' : `${n} à rappeler`),
  since: (duration: string) => `abandon il y a ${duration}`,
  /** Issue 12 item 2: ringing when the registration was lost. */
  lostInOutage: (duration: string) => `perdu pendant la coupure, il y a ${duration}`,
  abandons: (n: number) => (n > 1 ? `${n} abandons de ce numéro` : ''),
  attempts: (n: number) => (n === 0 ? '' : n === 1 ? '1 tentative' : `${n} tentatives`),
  callBack: 'Rappeler',
  calling: 'Rappel en cours…',
  masked: 'Numéro masqué — rappel impossible',
  outcome: 'Issue',
  choose: '— issue —',
  record: 'Enregistrer l’issue',
  stays: 'reste à rappeler',
};
