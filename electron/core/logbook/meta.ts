/**
 * Filter tokens of the FTS5 `meta` column (migration 0005): a one-letter tag then the hex of the
 * value's UTF-8 bytes — the same as SQLite's hex(), lower-cased by the tokenizer — so any value
 * becomes one token of letters and digits. The migration computes the same tokens in SQL.
 */
import type { LogbookFilters } from '../../contract/logbook.js';

// Categories, authors, operations and shifts repeat from entry to entry: a rebuild would otherwise encode
// the same few strings a million times.
const hexes = new Map<string, string>();
const MAX_HEXES = 4096;
const hex = (value: string): string => {
  let h = hexes.get(value);
  if (h === undefined) {
    h = Buffer.from(value, 'utf8').toString('hex');
    if (hexes.size >= MAX_HEXES) hexes.clear();
    hexes.set(value, h);
  }
  return h;
};

export interface MetaValues {
  category: string;
  author: string;
  important: boolean;
  operationId: string | null;
  shiftId: string | null;
}

export const metaText = (m: MetaValues): string =>
  [
    `k${hex(m.category)}`,
    `a${hex(m.author)}`,
    m.important ? 'imp1' : 'imp0',
    m.operationId === null ? null : `o${hex(m.operationId)}`,
    m.shiftId === null ? null : `s${hex(m.shiftId)}`,
  ]
    .filter((t): t is string => t !== null)
    .join(' ');

/** The tokens a search must find in `meta` for these filters (dates are handled by entry_no bounds). */
export const metaTerms = (filters: LogbookFilters | undefined): string[] => {
  if (filters === undefined) return [];
  const terms: string[] = [];
  if (filters.category !== undefined) terms.push(`k${hex(filters.category)}`);
  if (filters.author !== undefined) terms.push(`a${hex(filters.author)}`);
  if (filters.important !== undefined) terms.push(filters.important ? 'imp1' : 'imp0');
  if (filters.operationId !== undefined) terms.push(`o${hex(filters.operationId)}`);
  if (filters.shiftId !== undefined) terms.push(`s${hex(filters.shiftId)}`);
  return terms;
};
