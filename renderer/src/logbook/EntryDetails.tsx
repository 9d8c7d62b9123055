import type { LogbookEntry } from '../../../electron/contract/index.js';
import { EntryHead, rowClass } from './EntryRow.js';
import { logbookStrings as t } from './strings.js';

/**
 * The selected entry in full: list rows have a fixed height and clamp their text to two lines,
 * so this pane is where a long entry, or a long list of corrections, is read.
 */
export const EntryDetails = ({ entry, operation }: { entry: LogbookEntry | undefined; operation: string | null }) =>
  entry === undefined ? null : (
    <section className={`lb-details${rowClass(entry)}`} aria-label={t.list.details} data-testid="entry-details">
      <EntryHead entry={entry} testIds={false} operation={operation} />
      <div className="lb-text">{entry.text}</div>
    </section>
  );
