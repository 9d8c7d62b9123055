/** Operator-facing words of the operational directory. */
export const directoryStrings = {
  callTitle: 'Annuaire opérationnel — appeler',
  transferTitle: (caller: string) => `Transférer ${caller} — choisir la cible`,
  search: 'Chercher (nom, service, commune, numéro) ou taper un numéro',
  typedNumber: (n: string) => `Numéro tapé : ${n}`,
  none: 'Aucune entrée ne correspond.',
  loading: 'Recherche…',
  searchFailed: (reason: string) => `Recherche impossible : ${reason}`,
  callHint: '↑/↓ choisir · Entrée appeler · Échap fermer',
  transferHint: '↑/↓ choisir · Entrée transfert direct · Alt+C appeler d’abord (accompagné) · Échap fermer',
  speedDial: (n: number) => `Alt+${n}`,
  import: 'Importer un CSV…',
  export: 'Exporter en CSV',
  imported: (created: number, updated: number) =>
    `Annuaire importé : ${created} entrée(s) créée(s), ${updated} mise(s) à jour.`,
  exported: (count: number) => `${count} entrée(s) exportée(s) (annuaire.csv).`,
  close: 'Fermer (Échap)',
  count: (n: number) => (n === 0 ? '' : n === 1 ? '1 résultat' : `${n} résultats`),
};
