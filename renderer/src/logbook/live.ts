/**
 * Where a live entry goes in the list on screen (newest first, as `logbook.list`: projection order,
 * docs/architecture.md "Conflicts by construction"). An entry another position wrote while the network was
 * cut arrives after this position's later ones: put on top, it would show the room a wrong sequence of
 * events until the next reload. The list has no projection key, so the time written stands in for it: the
 * HLC's wall part (logbook/time.ts `writtenMsOf`), which orders the same but within one millisecond.
 */
import type { LogbookEntry } from '../../../electron/contract/index.js';

/**
 * The list with `entry` shown: replaced where it already is (a correction, a link), else inserted above
 * the first entry written at or before it. One older than every entry shown is left to the next page when
 * there is one (`more`), which will bring it in its place; otherwise it goes last.
 */
export const placeLive = (entries: LogbookEntry[], entry: LogbookEntry, more: boolean): LogbookEntry[] => {
  const at = entries.findIndex((e) => e.id === entry.id);
  if (at >= 0) return entries.map((e, i) => (i === at ? entry : e));
  const below = entries.findIndex((e) => e.writtenAt <= entry.writtenAt);
  if (below < 0) return more ? entries : [...entries, entry];
  return [...entries.slice(0, below), entry, ...entries.slice(below)];
};

/**
 * The next page after the list. A replicated batch that sorts before entries already numbered renumbers
 * them after it (the keyset cursor then points a little higher up): what is already shown is not shown twice.
 */
export const appendPage = (entries: LogbookEntry[], page: readonly LogbookEntry[]): LogbookEntry[] => {
  const shown = new Set(entries.map((e) => e.id));
  return [...entries, ...page.filter((e) => !shown.has(e.id))];
};
