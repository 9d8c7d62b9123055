/**
 * Turns what a user typed into an FTS5 MATCH expression that cannot be a syntax error: every word
 * becomes a quoted string (sqlite.org/fts5.html §3.1, "FTS5 Strings"), implicitly ANDed, and the last
 * word is a prefix query (§3.3) so that results follow typing. Accents and case are folded by the
 * table's tokenizer (`unicode61 remove_diacritics 2`, §4.3.1), so "depart" finds "Départ".
 * Returns null when nothing searchable was typed.
 */
export const buildMatchQuery = (input: string): string | null => {
  // Same notion of a token character as unicode61: letters, digits (and combining marks).
  const words = input.normalize('NFC').match(/[\p{L}\p{N}\p{M}]+/gu);
  if (words === null) return null;
  const kept = words.slice(0, 12);
  return kept
    .map((word, i) => {
      const quoted = `"${word}"`;
      // A one-letter prefix would match a large part of the log; require two for the prefix.
      return i === kept.length - 1 && [...word].length >= 2 ? `${quoted}*` : quoted;
    })
    .join(' ');
};
