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
    usage: 'vigie serve [--data DIR] [--port N] [--lab DIR --user USER] [--auto-answer S]',
    load: () => import('./commands/serve.js'),
  },
  lab: {
    summary: 'laboratoire SIP local (Kamailio + SIPp) : démarrer, arrêter, appeler',
    usage:
      'vigie lab up --dir DIR [--user USER:MOT_DE_PASSE]... | vigie lab down --dir DIR | vigie lab call --dir DIR --to USER [--count N] [--rate R] [--ring S] [--talk S] [--line NUMERO] [--from NUMERO]',
    load: () => import('./commands/lab.js'),
  },
  export: {
    summary: 'exporte la main courante en PDF (archives) ou CSV (tableur)',
    usage: 'vigie export --data DIR --format pdf|csv --out FICHIER [--from ISO] [--to ISO] [--operation ID]',
    load: () => import('./commands/export.js'),
  },
  append: {
    summary:
      'inscrit chaque ligne de l’entrée standard dans la main courante ; affiche l’id de chaque événement validé',
    usage: 'vigie append --data DIR [--author NOM] [--category CAT]',
    load: () => import('./commands/append.js'),
  },
  verify: {
    summary: 'recalcule les chaînes de hachage du journal ; dernière ligne « OK <n> events »',
    usage: 'vigie verify --data DIR | --db FICHIER',
    load: () => import('./commands/verify.js'),
  },
  rebuild: {
    summary: 'reconstruit les tables dérivées (projections) à partir des événements',
    usage: 'vigie rebuild --data DIR',
    load: () => import('./commands/rebuild.js'),
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
  restore: {
    summary: 'remplace la base par une sauvegarde vérifiée (Vigie arrêté ; l’ancienne base est conservée)',
    usage: 'vigie restore --data DIR --from FICHIER',
    load: () => import('./commands/restore.js'),
  },
};
