import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, type KeyboardEvent, type RefObject } from 'react';
import type { LogbookEntry } from '../../../electron/contract/index.js';
import { ROW_HEIGHT, Row } from './EntryRow.js';
import { logbookStrings as t } from './strings.js';

/**
 * Virtualised (only the visible rows are in the DOM) with rows of one fixed height (ROW_HEIGHT,
 * see EntryRow.tsx for why nothing is measured); pages are fetched when the view nears the end of
 * what is loaded.
 */
export const EntryList = ({
  entries,
  selected,
  onSelect,
  onRectify,
  onLink,
  operationTitles,
  loadMore,
  hasMore,
  loading,
  listRef,
}: {
  entries: LogbookEntry[];
  selected: number;
  onSelect: (index: number) => void;
  onRectify: (entry: LogbookEntry) => void;
  /** « O »: rattacher the selected entry to an operation. */
  onLink: (entry: LogbookEntry) => void;
  operationTitles: ReadonlyMap<string, string>;
  loadMore: () => void;
  hasMore: boolean;
  loading: boolean;
  listRef: RefObject<HTMLDivElement | null>;
}) => {
  // A stable key function: the virtualiser recomputes every row's offset (100 000 of them) whenever
  // it changes, so a new function at each render would cost a full pass per scrolled frame.
  const getItemKey = useCallback((index: number) => entries[index]?.id ?? index, [entries]);
  // Exact, not an estimate: rows are never measured (no measureElement), so jumping anywhere in the
  // list costs only the rows that come into view.
  const estimateSize = useCallback(() => ROW_HEIGHT, []);
  const getScrollElement = useCallback(() => listRef.current, [listRef]);
  // eslint-disable-next-line react-hooks/incompatible-library -- useVirtualizer returns non-memoisable functions; the React Compiler skipping this component is expected
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement,
    estimateSize,
    overscan: 3,
    getItemKey,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasMore && !loading && lastIndex >= entries.length - 30) loadMore();
  }, [lastIndex, entries.length, hasMore, loading, loadMore]);

  useEffect(() => {
    if (selected >= 0 && selected < entries.length) virtualizer.scrollToIndex(selected, { align: 'auto' });
  }, [selected, entries.length, virtualizer]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const last = entries.length - 1;
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    if (e.key in moves) {
      e.preventDefault();
      onSelect(Math.max(0, Math.min(last, (selected < 0 ? 0 : selected) + (moves[e.key] ?? 0))));
    } else if (e.key === 'Home') {
      e.preventDefault();
      onSelect(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      onSelect(last);
    } else if ((e.key === 'r' || e.key === 'R') && !e.ctrlKey && !e.altKey && !e.metaKey) {
      const entry = entries[selected];
      if (entry !== undefined) {
        e.preventDefault();
        onRectify(entry);
      }
    } else if ((e.key === 'o' || e.key === 'O') && !e.ctrlKey && !e.altKey && !e.metaKey) {
      const entry = entries[selected];
      if (entry !== undefined) {
        e.preventDefault();
        onLink(entry);
      }
    }
  };

  const current = entries[selected];
  return (
    <div
      className="lb-list"
      ref={listRef}
      tabIndex={0}
      role="listbox"
      aria-label={t.list.label}
      aria-activedescendant={current === undefined ? undefined : `lb-entry-${current.id}`}
      onKeyDown={onKeyDown}
      data-testid="entry-list"
      data-count={entries.length}
      data-has-more={hasMore}
    >
      {entries.length === 0 && <p className="lb-muted">{loading ? t.list.loading : t.list.empty}</p>}
      <div className="lb-sizer" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const entry = entries[item.index];
          if (entry === undefined) return null;
          return (
            <div
              key={item.key}
              id={`lb-entry-${entry.id}`}
              data-index={item.index}
              onClick={() => onSelect(item.index)}
              onDoubleClick={() => onRectify(entry)}
              className="lb-slot"
              style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              <Row
                entry={entry}
                selected={item.index === selected}
                operation={entry.operationId === null ? null : (operationTitles.get(entry.operationId) ?? null)}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
};
