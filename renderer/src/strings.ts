/** Shell strings (each feature keeps its own strings file next to it; the keys are in shortcuts.ts). */
export const appStrings = {
  queue: { title: 'File d’appels' },
  active: { title: 'Appel en cours' },
  callbacks: { title: 'Rappels' },
  logbook: { title: 'Main courante' },
  theme: { dark: 'Thème clair', light: 'Thème sombre' },
  help: 'Aide (F1)',
  error: (message: string) => `Erreur : ${message}`,
};
