/**
 * Where a live entry goes in the list on screen (newest first, as `logbook.list`: projection order,
 * docs/architecture.md "Conflicts by construction"). An entry another position wrote while the network was
 * cut arrives after this position's later ones: put on top, it would show the room a wrong sequence of
 * events until the next reload. The list has no projection key, so the time written stands in for it: the
 * HLC's wall part (logbook/time.ts `writtenMsOf`), which orders the same but within one millisecond.
 */
import type { LogbookEntry } from '../../../electron/contract/index.js';

/**
 * A list newest first with `item` shown: replaced where it already is (`same`), else inserted above the
 * first item of the same time or older (`time`, ISO 8601 instants compare as text). One older than every
 * item shown is left to the next page when there is one (`more`), which will bring it in its place;
 * otherwise it goes last.
 */
export const placeNewestFirst = <T>(
  items: T[],
  item: T,
  same: (a: T, b: T) => boolean,
  time: (x: T) => string,
  more = false,
): T[] => {
  const at = items.findIndex((x) => same(x, item));
  if (at >= 0) return items.map((x, i) => (i === at ? item : x));
  const below = items.findIndex((x) => time(x) <= time(item));
  if (below < 0) return more ? items : [...items, item];
  return [...items.slice(0, below), item, ...items.slice(below)];
};

/** An entry in the main courante on screen, by the time it was written. */
export const placeLive = (entries: LogbookEntry[], entry: LogbookEntry, more: boolean): LogbookEntry[] =>
  placeNewestFirst(
    entries,
    entry,
    (a, b) => a.id === b.id,
    (e) => e.writtenAt,
    more,
  );

/**
 * The next page after the list. A replicated batch that sorts before entries already numbered renumbers
 * them after it (the keyset cursor then points a little higher up): what is already shown is not shown twice.
 */
export const appendPage = (entries: LogbookEntry[], page: readonly LogbookEntry[]): LogbookEntry[] => {
  const shown = new Set(entries.map((e) => e.id));
  return [...entries, ...page.filter((e) => !shown.has(e.id))];
};
