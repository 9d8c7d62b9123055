/**
 * The one shortcut map of the console: every key the screen answers to is declared here, with its French
 * description; the handlers use `keys.*` and F1 shows this table. Browser keys that an operator might hit
 * by habit (F5 reload, F11 full screen) are left alone.
 */
export const keys = {
  help: 'F1',
  queue: 'F2',
  active: 'F3',
  logbook: 'F4',
  callbacks: 'F6',
  search: 'F7',
  entry: 'F8',
  answerNext: 'F9',
  hold: 'F10',
  hangup: 'F12',
} as const;

/** Alt+letter keys (code KeyX, so that they work whatever the keyboard layout's letter). */
export const altKeys = {
  entryList: 'KeyL',
  callBack: 'KeyR',
  wrapUp: 'KeyQ',
  theme: 'KeyT',
  audio: 'KeyU',
  figures: 'KeyI',
  drills: 'KeyE',
} as const;

/**
 * Alt+letter keys of the phone tools (calls/PhoneTools.tsx), matched on the letter typed (e.key), as the
 * degraded-mode keys are: on an AZERTY keyboard the key labelled A is not the physical KeyA.
 */
export const phoneKeys = {
  directory: 'p',
  dialPad: 'n',
  transfer: 'x',
  consult: 'c',
  mute: 's',
  history: 'h',
} as const;

/** Alt+1 … Alt+9: the directory entry given that speed-dial key (by position, e.code Digit1…Digit9). */
export const speedDialCode = (code: string): number | null => {
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(code);
  return match?.[1] === undefined ? null : Number(match[1]);
};

export interface ShortcutGroup {
  title: string;
  items: { keys: string; action: string }[];
}

export const shortcutMap: ShortcutGroup[] = [
  {
    title: 'Appels',
    items: [
      { keys: keys.answerNext, action: 'Décrocher l’appel le plus urgent (où que soit le curseur)' },
      { keys: keys.hold, action: 'Mettre en attente l’appel choisi, ou le reprendre' },
      { keys: keys.hangup, action: 'Raccrocher l’appel choisi (en ligne ou en attente)' },
      { keys: '↑ / ↓', action: 'Dans « Appel en cours » : choisir l’appel' },
      { keys: 'Entrée', action: 'Dans la file : décrocher l’appel choisi' },
    ],
  },
  {
    title: 'Après l’appel et rappels',
    items: [
      { keys: 'Alt+Q', action: 'Aller à la clôture d’appel (qualification, notes, opération)' },
      { keys: 'Alt+R', action: 'Rappeler le rappel le plus urgent' },
      { keys: 'Entrée', action: 'Dans les rappels : rappeler le rappel choisi' },
    ],
  },
  {
    title: 'Transfert, numérotation, annuaire',
    items: [
      { keys: 'Alt+P', action: 'Annuaire : chercher en tapant, Entrée appelle' },
      { keys: 'Alt+X', action: 'Transférer l’appel choisi (Entrée : direct)' },
      { keys: 'Alt+C', action: 'Transfert accompagné : appeler la cible d’abord' },
      { keys: 'Alt+X', action: 'En consultation : passer l’appelant' },
      { keys: 'Alt+1…9', action: 'Appel rapide (touche de l’annuaire)' },
      { keys: 'Alt+N', action: 'Clavier : numéroter ; en ligne, DTMF' },
      { keys: 'Alt+S', action: 'Secret : couper / rétablir le micro' },
      { keys: 'Alt+H', action: 'Historique (Entrée rappelle)' },
    ],
  },
  {
    title: 'Zones',
    items: [
      { keys: keys.queue, action: 'File d’appels' },
      { keys: keys.active, action: 'Appel en cours' },
      { keys: keys.logbook, action: 'Main courante' },
      { keys: keys.callbacks, action: 'Rappels' },
      { keys: 'Alt+L', action: 'Liste des inscriptions' },
      { keys: 'Tab / Maj+Tab', action: 'Parcourir la zone' },
    ],
  },
  {
    title: 'Main courante',
    items: [
      { keys: keys.entry, action: 'Nouvelle inscription' },
      { keys: 'Ctrl+Entrée', action: 'Valider le formulaire (depuis n’importe quel champ)' },
      { keys: 'Échap', action: 'Annuler le rectificatif, fermer une fenêtre' },
      { keys: keys.search, action: 'Recherche' },
      { keys: '↑ / ↓ · Pg↑ / Pg↓ · Début / Fin', action: 'Parcourir les inscriptions' },
      { keys: 'R', action: 'Rectifier l’inscription choisie' },
      { keys: 'O', action: 'Rattacher l’inscription choisie à une opération' },
    ],
  },
  {
    title: 'Mode dégradé',
    items: [
      { keys: 'Alt+A', action: 'Acquitter le bandeau de mode dégradé' },
      { keys: 'Alt+M', action: 'Saisir un appel pris sur un moyen de secours (appel manuel)' },
      { keys: 'Alt+E', action: 'Exercice de mode dégradé : démarrer, suivre, terminer, rapport' },
    ],
  },
  {
    title: 'Écran',
    items: [
      { keys: keys.help, action: 'Afficher ou fermer cette aide' },
      { keys: 'Alt+T', action: 'Thème clair / sombre' },
      { keys: 'Alt+U', action: 'Réglages audio : micro, casque, sonnerie, niveau, auto-test' },
      { keys: 'Alt+I', action: 'Indicateurs du traitement des appels (délais, abandons, rappels)' },
    ],
  },
];

/** The one-line reminder at the foot of the screen. */
export const shortcutFooter =
  'F1 aide · F9 décrocher · F10 attente · F12 raccrocher · F2 file · F3 appel · F4 main courante · F6 rappels · Alt+L inscriptions · Alt+P annuaire · Alt+X transfert · Alt+U audio · Alt+T thème';
