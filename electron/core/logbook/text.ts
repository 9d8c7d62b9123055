import { MAX_TEXT_CHARS } from '../../contract/logbook.js';
import { VigieError } from '../../contract/result.js';

/** Code points, not UTF-16 units: what a user counts as characters (an emoji is one). */
export const countChars = (text: string): number => Array.from(text).length;

const nf = new Intl.NumberFormat('fr-FR');

/**
 * The text of an entry as it will be stored: NFC-normalised (so "é" typed two ways searches and
 * prints the same), trailing blanks removed, not empty, at most MAX_TEXT_CHARS characters.
 */
export const checkEntryText = (raw: string): string => {
  const text = raw.normalize('NFC').trimEnd();
  if (text.trim() === '') throw new VigieError('invalid_argument', 'Le texte de l’inscription est vide.');
  const n = countChars(text);
  if (n > MAX_TEXT_CHARS) {
    throw new VigieError(
      'invalid_argument',
      `Texte trop long : ${nf.format(n)} caractères pour ${nf.format(MAX_TEXT_CHARS)} au plus. Scindez l’inscription en plusieurs.`,
    );
  }
  return text;
};
