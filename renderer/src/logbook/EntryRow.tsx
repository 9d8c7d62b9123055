import { memo } from 'react';
import type { LogbookEntry } from '../../../electron/contract/index.js';
import { logbookStrings as t } from './strings.js';
import { noumeaDateTime } from './time.js';

/**
 * Every row of the list is exactly this tall (px), whatever its text: the virtualiser then knows
 * every offset without measuring. Measured rows were what made a scrollbar jump cost 200–500 ms:
 * each newly seen row's real height differed from the estimate, and each such measurement made
 * @tanstack/virtual-core recompute the offsets of every row after it (up to 100 000) and shift
 * scrollTop (another scroll event, another pass). Long texts are clamped to one line here, so that
 * at 1366×768 the list shows at least ten rows beside the details pane (EntryDetails), where the
 * selected entry is read in full.
 * Keep in step with `.lb-row` in logbook.css (18 px head line + 18 px text line + 4 px padding
 * + 1 px border = 41 px, one spare).
 */
export const ROW_HEIGHT = 42;

export const rowClass = (entry: LogbookEntry): string =>
  `${entry.important ? ' lb-important' : ''}${entry.correctedBy.length > 0 ? ' lb-is-corrected' : ''}`;

/** Number, time, category, author and the badges (important, late, corrected, corrects). */
export const EntryHead = ({
  entry,
  testIds,
  operation,
}: {
  entry: LogbookEntry;
  testIds: boolean;
  /** The title of the entry's operation, when it has one. */
  operation: string | null;
}) => (
  <div className="lb-row-head">
    <strong>n° {entry.number}</strong>
    <span>{noumeaDateTime(entry.writtenAt)}</span>
    <span className="lb-cat">{entry.category}</span>
    <span>
      {entry.author}
      {entry.position !== '' ? ` · ${entry.position}` : ''}
    </span>
    {entry.important && <span className="lb-badge lb-badge-important">{t.list.important}</span>}
    {operation !== null && (
      <span
        className="lb-badge lb-badge-op"
        title={t.list.operation(operation)}
        data-testid={testIds ? 'entry-operation' : undefined}
      >
        ◆ {operation}
      </span>
    )}
    {entry.late && (
      <span className="lb-badge" title={t.list.late}>
        {t.list.fact} {noumeaDateTime(entry.factAt)} ({t.list.late})
      </span>
    )}
    {entry.correctedBy.length > 0 && (
      <span className="lb-badge lb-badge-corrected" data-testid={testIds ? 'entry-corrected' : undefined}>
        {t.list.corrected} — {t.list.correctedBy} {entry.correctedBy.map((c) => c.reference).join(', ')}
      </span>
    )}
    {entry.correctsReference !== null && (
      <span className="lb-badge">
        {t.list.corrects} {entry.correctsReference}
      </span>
    )}
  </div>
);

/**
 * One row, memoised: while scrolling only the rows that come into view render; a row already on
 * screen re-renders only if its entry (replaced in place by a correction) or its selection changes.
 */
export const Row = memo(function Row({
  entry,
  selected,
  operation,
}: {
  entry: LogbookEntry;
  selected: boolean;
  operation: string | null;
}) {
  return (
    <div
      className={`lb-row${selected ? ' lb-selected' : ''}${rowClass(entry)}`}
      data-testid="entry-row"
      data-entry-id={entry.id}
      data-number={entry.number}
      aria-selected={selected}
      role="option"
    >
      <EntryHead entry={entry} testIds operation={operation} />
      <div className="lb-text lb-text-clamped">{entry.text}</div>
    </div>
  );
});
