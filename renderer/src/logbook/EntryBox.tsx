import { useEffect, useState, type KeyboardEvent, type RefObject } from 'react';
import {
  MAX_TEXT_CHARS,
  type LogbookEntry,
  type Operation,
  type VigieClient,
} from '../../../electron/contract/index.js';
import { logbookStrings as t } from './strings.js';
import { localInputToIso } from './time.js';

const chars = (s: string): number => [...s].length;

/**
 * The entry box. Ctrl+Entrée commits; nothing is added to the list here: the list shows the entry
 * when the core announces it, i.e. once it is committed.
 */
export const EntryBox = ({
  client,
  categories,
  operations,
  correcting,
  onCancelCorrection,
  textareaRef,
  onCommitted,
}: {
  client: VigieClient;
  categories: string[];
  operations: Operation[];
  correcting: LogbookEntry | null;
  onCancelCorrection: () => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  onCommitted: () => void;
}) => {
  const [text, setText] = useState('');
  const [category, setCategory] = useState('information');
  const [important, setImportant] = useState(false);
  const [factAt, setFactAt] = useState('');
  const [operationId, setOperationId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // "Rectifier" starts from the original's text and category (state adjusted while rendering, as
  // https://react.dev/learn/you-might-not-need-an-effect#adjusting-some-state-when-a-prop-changes says).
  const [startedFrom, setStartedFrom] = useState<LogbookEntry | null>(null);
  if (correcting !== startedFrom) {
    setStartedFrom(correcting);
    if (correcting !== null) {
      setText(correcting.text);
      setCategory(correcting.category);
    }
  }
  useEffect(() => {
    if (correcting !== null) textareaRef.current?.focus();
  }, [correcting, textareaRef]);

  const commit = () => {
    if (busy || text.trim() === '') return;
    setBusy(true);
    const fact = localInputToIso(factAt);
    const request =
      correcting !== null
        ? client.call('logbook.correct', {
            entryId: correcting.id,
            text,
            ...(category !== correcting.category ? { category } : {}),
            ...(fact !== undefined ? { factAt: fact } : {}),
            ...(important ? { important } : {}),
          })
        : client.call('logbook.append', {
            text,
            category,
            ...(important ? { important } : {}),
            ...(fact !== undefined ? { factAt: fact } : {}),
            ...(operationId !== '' ? { operationId } : {}),
          });
    void request.then((r) => {
      setBusy(false);
      if (!r.ok) return setError(r.error.message);
      setError(null);
      setText('');
      setImportant(false);
      setFactAt('');
      if (correcting !== null) onCancelCorrection();
      onCommitted();
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      commit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (correcting !== null) onCancelCorrection();
      else textareaRef.current?.blur();
    }
  };

  const n = chars(text);
  return (
    <div className={`lb-entrybox${correcting !== null ? ' lb-correcting' : ''}`} data-testid="entry-box">
      <label htmlFor="lb-entry-text" className="lb-entry-label">
        {correcting !== null ? t.entry.correcting(correcting.reference) : t.entry.label} <kbd>{'F8'}</kbd>
      </label>
      <textarea
        id="lb-entry-text"
        ref={textareaRef}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        rows={3}
        aria-invalid={n > MAX_TEXT_CHARS}
        data-testid="entry-text"
      />
      <div className="lb-entry-options">
        <label>
          {t.entry.category}
          <select value={category} onChange={(e) => setCategory(e.target.value)} data-testid="entry-category">
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={important}
            onChange={(e) => setImportant(e.target.checked)}
            data-testid="entry-important"
          />{' '}
          {t.entry.important}
        </label>
        <label>
          {t.entry.factAt}
          <input
            type="datetime-local"
            value={factAt}
            onChange={(e) => setFactAt(e.target.value)}
            data-testid="entry-factat"
          />
        </label>
        {correcting === null && (
          <label>
            {t.entry.operation}
            <select value={operationId} onChange={(e) => setOperationId(e.target.value)} data-testid="entry-operation">
              <option value="">{t.entry.noOperation}</option>
              {operations
                .filter((o) => o.status === 'ouverte')
                .map((o) => (
                  <option key={o.operationId} value={o.operationId}>
                    {o.title} — {o.commune}
                  </option>
                ))}
            </select>
          </label>
        )}
        <span className={n > MAX_TEXT_CHARS ? 'lb-error' : 'lb-muted'}>{t.entry.counter(n, MAX_TEXT_CHARS)}</span>
        <button type="button" onClick={commit} disabled={busy} data-testid="entry-submit">
          {t.entry.submit}
        </button>
        {correcting !== null && (
          <button type="button" onClick={onCancelCorrection}>
            {t.entry.cancelCorrection}
          </button>
        )}
      </div>
      {error !== null && (
        <p role="alert" className="lb-error" data-testid="entry-error">
          {error}
        </p>
      )}
    </div>
  );
};
