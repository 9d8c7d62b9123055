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
};
