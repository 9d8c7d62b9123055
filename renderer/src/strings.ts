/** Shell strings (each feature keeps its own strings file next to it). */
export const appStrings = {
  queue: { title: 'File d’appels', key: 'F2' },
  active: { title: 'Appel en cours', key: 'F3' },
  logbook: { title: 'Main courante', key: 'F4' },
  shortcuts:
    'Raccourcis : F9 décrocher le plus urgent · F10 attente/reprise · F12 raccrocher · F2 file d’appels · F3 appel en cours · F4 main courante · Tab pour parcourir',
  error: (message: string) => `Erreur : ${message}`,
};
