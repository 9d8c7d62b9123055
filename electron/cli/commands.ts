/** The `vigie` commands: one module each, loaded on demand so that `vigie verify` stays fast. */
export interface Command {
  summary: string;
  usage: string;
  load: () => Promise<{ run: (argv: string[]) => Promise<number> }>;
}

export const commands: Record<string, Command> = {
  status: {
    summary: "affiche l'état du poste (version, données, horloge)",
    usage: 'vigie status --data DIR [--json]',
    load: () => import('./commands/status.js'),
  },
  serve: {
    summary: 'démarre la console dans le navigateur (hôte local 127.0.0.1)',
    usage: 'vigie serve [--data DIR] [--port N] [--lab DIR --user USER] [--auto-answer S] [--media renderer|null]',
    load: () => import('./commands/serve.js'),
  },
  lab: {
    summary: 'laboratoire SIP local (Kamailio + SIPp) : démarrer, arrêter, appeler',
    usage:
      'vigie lab up --dir DIR [--user USER:MOT_DE_PASSE]... | vigie lab down --dir DIR | vigie lab call --dir DIR --to USER [--count N] [--rate R] [--ring S] [--talk S] [--line NUMERO] [--from NUMERO] [--tone HZ] [--no-audio]',
    load: () => import('./commands/lab.js'),
  },
  export: {
    summary: 'exporte la main courante en PDF (archives), CSV (tableur) ou preuve vérifiable (bundle)',
    usage:
      'vigie export --data DIR --format pdf|csv|bundle --out FICHIER [--from ISO] [--to ISO] [--operation ID] [--shift ID]',
    load: () => import('./commands/export.js'),
  },
  append: {
    summary:
      'inscrit chaque ligne de l’entrée standard dans la main courante ; affiche l’id de chaque événement validé',
    usage: 'vigie append --data DIR [--author NOM] [--category CAT]',
    load: () => import('./commands/append.js'),
  },
  verify: {
    summary: 'vérifie chaînes, signatures des points de contrôle et projections ; dernière ligne « OK <n> events »',
    usage: 'vigie verify --data DIR | --db FICHIER [--chain-only]',
    load: () => import('./commands/verify.js'),
  },
  rebuild: {
    summary: 'reconstruit les tables dérivées (projections) à partir des événements',
    usage: 'vigie rebuild --data DIR',
    load: () => import('./commands/rebuild.js'),
  },
  'verify-export': {
    summary: 'vérifie hors ligne un fichier de preuve (bundle) : PDF, événements, preuves, signatures',
    usage: 'vigie verify-export FICHIER [--fingerprint EMPREINTE] [--tsa-ca CERT]',
    load: () => import('./commands/verify-export.js'),
  },
  repair: {
    summary: 'reconstruit toutes les tables dérivées (projections, index plein texte, index) à partir des événements',
    usage: 'vigie repair --data DIR',
    load: () => import('./commands/repair.js'),
  },
  keys: {
    summary: 'clé de signature du poste : afficher, créer, renouveler (console arrêtée)',
    usage: 'vigie keys show|init|rotate --data DIR',
    load: () => import('./commands/keys.js'),
  },
  backup: {
    summary: 'sauvegarde en ligne vérifiée dans DIR/backups (rotation)',
    usage: 'vigie backup --data DIR [--keep N]',
    load: () => import('./commands/backup.js'),
  },
  calls: {
    summary: 'journal des appels (un objet JSON par ligne avec --json) ou rappels à faire (--callbacks)',
    usage: 'vigie calls --data DIR [--json] [--callbacks]',
    load: () => import('./commands/calls.js'),
  },
  stats: {
    summary: 'chiffres du traitement des appels (délais de décroché NENA/NFPA, abandons, rappels) d’une période',
    usage: 'vigie stats --data DIR [--from aaaa-mm-jj] [--to aaaa-mm-jj] [--csv | --json]',
    load: () => import('./commands/stats.js'),
  },
  users: {
    summary: 'tableau de service : ajouter un utilisateur, son rôle, son code PIN, le déverrouiller (console arrêtée)',
    usage:
      'vigie users list|add|reset-pin|unlock|set-role --data DIR [--name NOM] [--role operateur|chef_de_salle|technicien] [--pin-stdin] [--json]',
    load: () => import('./commands/users.js'),
  },
  central: {
    summary: 'serveur central PostgreSQL : créer ou mettre à jour le schéma, autoriser un poste',
    usage:
      'vigie central migrate --url URL | vigie central add-position --url URL (--origin UUID | --data DIR) --role NOM --password-file FICHIER [--name POSTE]',
    load: () => import('./commands/central.js'),
  },
  directory: {
    summary: 'annuaire opérationnel : importer un CSV (tout ou rien) ou l’exporter',
    usage:
      'vigie directory import --data DIR --file FICHIER.csv [--author NOM] | vigie directory export --data DIR [--out FICHIER.csv]',
    load: () => import('./commands/directory.js'),
  },
  restore: {
    summary: 'remplace la base par une sauvegarde vérifiée (Vigie arrêté ; l’ancienne base est conservée)',
    usage: 'vigie restore --data DIR --from FICHIER',
    load: () => import('./commands/restore.js'),
  },
};
