import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, type KeyboardEvent, type RefObject } from 'react';
import type { LogbookEntry } from '../../../electron/contract/index.js';
import { logbookStrings as t } from './strings.js';
import { noumeaDateTime } from './time.js';

const Row = ({ entry, selected }: { entry: LogbookEntry; selected: boolean }) => (
  <div
    className={`lb-row${selected ? ' lb-selected' : ''}${entry.important ? ' lb-important' : ''}${entry.correctedBy.length > 0 ? ' lb-is-corrected' : ''}`}
    data-testid="entry-row"
    data-entry-id={entry.id}
    data-number={entry.number}
    aria-selected={selected}
    role="option"
  >
    <div className="lb-row-head">
      <strong>n° {entry.number}</strong>
      <span>{noumeaDateTime(entry.writtenAt)}</span>
      <span className="lb-cat">{entry.category}</span>
      <span>
        {entry.author}
        {entry.position !== '' ? ` · ${entry.position}` : ''}
      </span>
      {entry.important && <span className="lb-badge lb-badge-important">{t.list.important}</span>}
      {entry.late && (
        <span className="lb-badge" title={t.list.late}>
          {t.list.fact} {noumeaDateTime(entry.factAt)} ({t.list.late})
        </span>
      )}
      {entry.correctedBy.length > 0 && (
        <span className="lb-badge lb-badge-corrected" data-testid="entry-corrected">
          {t.list.corrected} — {t.list.correctedBy} {entry.correctedBy.map((c) => c.reference).join(', ')}
        </span>
      )}
      {entry.correctsReference !== null && (
        <span className="lb-badge">
          {t.list.corrects} {entry.correctsReference}
        </span>
      )}
    </div>
    <div className="lb-text">{entry.text}</div>
  </div>
);

/**
 * Virtualised (only the visible rows are in the DOM), variable row heights measured by
 * @tanstack/react-virtual; pages are fetched when the view nears the end of what is loaded.
 */
export const EntryList = ({
  entries,
  selected,
  onSelect,
  onRectify,
  loadMore,
  hasMore,
  loading,
  listRef,
}: {
  entries: LogbookEntry[];
  selected: number;
  onSelect: (index: number) => void;
  onRectify: (entry: LogbookEntry) => void;
  loadMore: () => void;
  hasMore: boolean;
  loading: boolean;
  listRef: RefObject<HTMLDivElement | null>;
}) => {
  // A stable key function: the virtualiser recomputes every row's offset (100 000 of them) whenever
  // it changes, so a new function at each render would cost a full pass per scrolled frame.
  const getItemKey = useCallback((index: number) => entries[index]?.id ?? index, [entries]);
  const estimateSize = useCallback(() => 58, []);
  const getScrollElement = useCallback(() => listRef.current, [listRef]);
  // eslint-disable-next-line react-hooks/incompatible-library -- useVirtualizer returns non-memoisable functions; the React Compiler skipping this component is expected
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement,
    estimateSize,
    overscan: 8,
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
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        {items.map((item) => {
          const entry = entries[item.index];
          if (entry === undefined) return null;
          return (
            <div
              key={item.key}
              id={`lb-entry-${entry.id}`}
              data-index={item.index}
              ref={virtualizer.measureElement}
              onClick={() => onSelect(item.index)}
              onDoubleClick={() => onRectify(entry)}
              style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start}px)` }}
            >
              <Row entry={entry} selected={item.index === selected} />
            </div>
          );
        })}
      </div>
    </div>
  );
};
