import type { DatabaseState, NetworkState, TelephonyState } from '../../../electron/contract/index.js';

export const statusStrings = {
  telephony: 'Téléphonie',
  network: 'Réseau',
  database: 'Base',
  position: 'Poste',
  clock: 'Nouméa',
  unknown: 'inconnu',
  events: (n: number) => `${n.toLocaleString('fr-FR')} évén.`,
  lag: (ms: number) => `retard ${Math.round(ms / 1000).toLocaleString('fr-FR')} s`,
  backlog: (n: number) => `${n.toLocaleString('fr-FR')} à envoyer`,
  quarantine: (n: number) => `ALERTE ${n.toLocaleString('fr-FR')} en quarantaine`,
  link: {
    connecting: 'Connexion au poste…',
    open: '',
    closed: 'LIAISON AVEC LE POSTE PERDUE — reconnexion…',
    // transport.ts: the host answers but refuses this page's token, i.e. it was started again.
    refused:
      'LE POSTE A REDÉMARRÉ — cette page n’est plus reconnue (le jeton change à chaque lancement). Ouvrez l’adresse que « vigie serve » vient d’afficher (ligne « Vigie prête : … »).',
  },
  telephonyStates: {
    disabled: 'non configurée',
    connecting: 'connexion…',
    registered: 'enregistrée',
    lost: 'PERDUE',
  } satisfies Record<TelephonyState, string>,
  networkStates: { local: 'autonome', online: 'en ligne', offline: 'HORS LIGNE' } satisfies Record<
    NetworkState,
    string
  >,
  databaseStates: { ok: 'OK', error: 'EN ERREUR' } satisfies Record<DatabaseState, string>,
};
