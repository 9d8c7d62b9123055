/** French strings of the drills screen (one place for the feature). */
export const drillStrings = {
  title: 'Exercice de mode dégradé',
  banner: 'EXERCICE EN COURS',
  bannerDetail: (scenario: string, mode: string, since: string) => `${scenario} — ${mode} — depuis ${since}`,
  scenario: 'Scénario',
  mode: 'Mode',
  start: 'Démarrer l’exercice',
  confirmStart: (scenario: string, simulated: boolean) =>
    simulated
      ? `Démarrer « ${scenario} » en mode simulé ? La console va couper elle-même sa téléphonie IP jusqu’à la fin de l’exercice.`
      : `Démarrer « ${scenario} » en mode observé ? La console enregistre seulement : la coupure réelle est faite par les techniciens.`,
  restore: 'Lever la coupure simulée (le service peut revenir)',
  stop: 'Terminer l’exercice et écrire le rapport',
  confirmStop: 'Terminer l’exercice ? Le rapport sera inscrit en main courante.',
  timeline: 'Chronologie',
  notReached: 'pas encore',
  pending: 'En cours…',
  report: 'Télécharger le rapport PDF',
  reportOf: (scenario: string, day: string) => `Dernier exercice : ${scenario}, ${day}`,
  integrity: (ok: boolean, detail: string) =>
    ok ? `Intégrité conforme — ${detail}` : `INTÉGRITÉ NON CONFORME — ${detail}`,
  forbidden: 'Seuls un technicien ou un chef de salle connectés peuvent ordonner un exercice.',
  close: 'Fermer (Échap)',
  yes: 'Confirmer',
  no: 'Annuler',
  error: (message: string) => `Exercice : ${message}`,
};
