import { countChars, MAX_TEXT_CHARS, normalizeText, textTooLong } from '../../contract/logbook.js';
import { VigieError } from '../../contract/result.js';

export { countChars } from '../../contract/logbook.js';

const nf = new Intl.NumberFormat('fr-FR');

/**
 * The text of an entry as it will be stored: NFC-normalised (so "é" typed two ways searches and
 * prints the same), trailing blanks removed, not empty, at most MAX_TEXT_CHARS characters.
 */
export const checkEntryText = (raw: string): string => {
  const text = normalizeText(raw);
  if (text.trim() === '') throw new VigieError('invalid_argument', 'Le texte de l’inscription est vide.');
  if (textTooLong(text)) {
    const n = countChars(text);
    throw new VigieError(
      'invalid_argument',
      `Texte trop long : ${nf.format(n)} caractères pour ${nf.format(MAX_TEXT_CHARS)} au plus. Scindez l’inscription en plusieurs.`,
    );
  }
  return text;
};
