import { normalizeText, textTooLong, textTooLongMessage } from '../../contract/logbook.js';
import { VigieError } from '../../contract/result.js';

export { countChars } from '../../contract/logbook.js';

/**
 * The text of an entry as it will be stored: NFC-normalised (so "é" typed two ways searches and
 * prints the same), trailing blanks removed, not empty, at most MAX_TEXT_CHARS characters.
 */
export const checkEntryText = (raw: string): string => {
  const text = normalizeText(raw);
  if (text.trim() === '') throw new VigieError('invalid_argument', 'Le texte de l’inscription est vide.');
  if (textTooLong(text)) throw new VigieError('invalid_argument', textTooLongMessage(text));
  return text;
};
