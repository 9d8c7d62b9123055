import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import {
  MAX_TEXT_CHARS,
  type LogbookEntry,
  type Operation,
  type VigieClient,
} from '../../../electron/contract/index.js';
import type { EntryPrefill } from '../calls/WrapUp.js';
import { afterCommit, emptyDraft, loadDraft, saveDraft, type Draft } from './draft.js';
import { logbookStrings as t } from './strings.js';
import { localInputToIso } from './time.js';

const chars = (s: string): number => [...s].length;
const DEFAULT_CATEGORY = 'information';

/** The call an entry written now belongs to: the one in conversation at this position. */
export interface CurrentCall {
  id: string;
  label: string;
}

/**
 * The entry box. Ctrl+Entrée commits from any of its fields; nothing is added to the list here: the list
 * shows the entry when the core announces it, i.e. once it is committed. An entry written during a call
 * is linked to it (`callId`); the draft survives a reload; category and operation reset after a commit.
 */
export const EntryBox = ({
  client,
  categories,
  operations,
  correcting,
  onCancelCorrection,
  textareaRef,
  onCommitted,
  prefill,
  currentCall,
  shiftOpen,
}: {
  client: VigieClient;
  categories: string[];
  operations: Operation[];
  correcting: LogbookEntry | null;
  onCancelCorrection: () => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  /** The entry just written (a correction: the new entry). */
  onCommitted: (entry: LogbookEntry) => void;
  prefill: EntryPrefill | null;
  currentCall: CurrentCall | null;
  /** A shift is open in the room: without one, entries are written outside any shift, and the box says so. */
  shiftOpen: boolean;
}) => {
  const [draft, setDraft] = useState<Draft>(() => loadDraft(DEFAULT_CATEGORY));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The last commit's outcome, said in words: pending (busy), saved with its reference, or failed (error). */
  const [saved, setSaved] = useState<string | null>(null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  useEffect(() => saveDraft(draft), [draft]);

  // "Rectifier" starts from the original's text and category; the wrap-up's « Inscrire en main courante »
  // from the call's data (state adjusted while rendering, as
  // https://react.dev/learn/you-might-not-need-an-effect#adjusting-some-state-when-a-prop-changes says).
  const [startedFrom, setStartedFrom] = useState<LogbookEntry | null>(null);
  if (correcting !== startedFrom) {
    setStartedFrom(correcting);
    if (correcting !== null) setDraft((d) => ({ ...d, text: correcting.text, category: correcting.category }));
  }
  // A shift opened or closed since the last commit: its « inscrite … (hors vacation) » line is stale.
  const [savedWithShift, setSavedWithShift] = useState(shiftOpen);
  if (savedWithShift !== shiftOpen) {
    setSavedWithShift(shiftOpen);
    setSaved(null);
  }
  const [prefilled, setPrefilled] = useState<number | null>(null);
  if (prefill !== null && prefill.serial !== prefilled) {
    setPrefilled(prefill.serial);
    setDraft((d) => ({
      ...d,
      text: d.text.trim() === '' ? prefill.text : `${d.text.trimEnd()}\n${prefill.text}`,
      category: categories.includes(prefill.category) ? prefill.category : d.category,
      callId: prefill.callId,
      operationId: prefill.operationId,
    }));
  }
  useEffect(() => {
    if (correcting !== null || prefill !== null) textareaRef.current?.focus();
  }, [correcting, prefill, textareaRef]);

  // The call this entry will be linked to: the one it was started from, else the call in progress.
  const callOf = (d: Draft, call: CurrentCall | null): string => (d.callId !== '' ? d.callId : (call?.id ?? ''));
  const callId = callOf(draft, currentCall);
  // The call in progress now, for a commit queued behind an earlier one (whose closure saw the call then).
  const latest = useRef(currentCall);
  useEffect(() => {
    latest.current = currentCall;
  });
  /** Ctrl+Entrée pressed while the previous entry was being saved: sent as soon as that one is. */
  const queued = useRef(false);

  const send = (d: Draft, call: CurrentCall | null) => {
    if (d.text.trim() === '') return;
    const fact = localInputToIso(d.factAt);
    if (fact === null) return setError(t.entry.factAtInvalid);
    const linked = callOf(d, call);
    setBusy(true);
    setSaved(null);
    const request =
      correcting !== null
        ? client.call('logbook.correct', {
            entryId: correcting.id,
            text: d.text,
            ...(d.category !== correcting.category ? { category: d.category } : {}),
            ...(fact !== undefined ? { factAt: fact } : {}),
            ...(d.important ? { important: true } : {}),
          })
        : client.call('logbook.append', {
            text: d.text,
            category: d.category,
            ...(d.important ? { important: true } : {}),
            ...(fact !== undefined ? { factAt: fact } : {}),
            ...(d.operationId !== '' ? { operationId: d.operationId } : {}),
            ...(linked !== '' ? { callId: linked } : {}),
          });
    void request.then((r) => {
      setBusy(false);
      // Keep the focus where the next entry is typed, whatever button was pressed.
      textareaRef.current?.focus();
      // Failed (refused, or the link dropped): said in the state line too, and the text stays in the box.
      if (!r.ok) {
        queued.current = false;
        return setError(r.error.message);
      }
      setError(null);
      setSaved(
        r.value.shiftId === null ? t.entry.savedNoShift(`n° ${r.value.number}`) : t.entry.saved(`n° ${r.value.number}`),
      );
      // Only what was sent leaves the box: what the operator typed while it was being saved stays. Applied
      // to the box's latest state and written to the textarea at once (flushSync): left to a later render,
      // the next key would be typed into the old text still on screen, and bring it back.
      let next = emptyDraft(DEFAULT_CATEGORY);
      flushSync(() =>
        setDraft((now) => {
          next = afterCommit(d, now, DEFAULT_CATEGORY);
          return next;
        }),
      );
      if (correcting !== null) onCancelCorrection();
      onCommitted(r.value);
      // A correction is one act: a Ctrl+Entrée pressed during it is not a second correction.
      if (queued.current && correcting === null) send(next, latest.current);
      queued.current = false;
    });
  };

  const commit = () => {
    if (busy) queued.current = true;
    else send(draft, currentCall);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      commit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (correcting !== null) onCancelCorrection();
      else textareaRef.current?.blur();
    }
  };

  const n = chars(draft.text);
  const linkedCaller = callId === '' ? null : callId === currentCall?.id ? currentCall.label : callId.slice(0, 8);
  return (
    <div
      className={`lb-entrybox${correcting !== null ? ' lb-correcting' : ''}`}
      data-testid="entry-box"
      onKeyDown={onKeyDown}
    >
      <div className="lb-entry-head">
        <label htmlFor="lb-entry-text" className="lb-entry-label">
          {correcting !== null ? t.entry.correcting(correcting.reference) : t.entry.label} <kbd>{'F8'}</kbd>
          {linkedCaller !== null && correcting === null && (
            <span className="lb-badge" data-testid="entry-call" data-call-id={callId}>
              {t.entry.linkedCall(linkedCaller)}
            </span>
          )}
        </label>
        <span
          role="status"
          className={`lb-commit-state ${error !== null && !busy ? 'lb-error' : 'lb-muted'}`}
          data-testid="entry-state"
        >
          {busy ? t.entry.pending : error !== null ? t.entry.failed : (saved ?? '')}
        </span>
        <span className={n > MAX_TEXT_CHARS ? 'lb-error lb-counter' : 'lb-muted lb-counter'}>
          {t.entry.counter(n, MAX_TEXT_CHARS)}
        </span>
        <button type="button" onClick={commit} aria-disabled={busy} data-testid="entry-submit">
          {busy ? t.entry.pending : t.entry.submit}
        </button>
        {correcting !== null && (
          <button type="button" onClick={onCancelCorrection}>
            {t.entry.cancelCorrection}
          </button>
        )}
      </div>
      <textarea
        id="lb-entry-text"
        ref={textareaRef}
        value={draft.text}
        onChange={(e) => {
          const text = e.target.value;
          // Typing during a call pins the entry to that call, even if it ends before the commit.
          setDraft((d) => ({
            ...d,
            text,
            callId: d.callId === '' && currentCall !== null ? currentCall.id : d.callId,
          }));
        }}
        rows={2}
        aria-invalid={n > MAX_TEXT_CHARS}
        data-testid="entry-text"
      />
      <div className="lb-entry-options">
        <label>
          <span className="lb-sr">{t.entry.category}</span>
          <select value={draft.category} onChange={(e) => set('category', e.target.value)} data-testid="entry-category">
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
            checked={draft.important}
            onChange={(e) => set('important', e.target.checked)}
            data-testid="entry-important"
          />{' '}
          {t.entry.important}
        </label>
        <label>
          <span className="lb-sr">{t.entry.factAt}</span>
          <input
            value={draft.factAt}
            onChange={(e) => set('factAt', e.target.value)}
            placeholder={t.entry.factAtPlaceholder}
            title={t.entry.factAt}
            size={16}
            maxLength={16}
            aria-invalid={localInputToIso(draft.factAt) === null}
            data-testid="entry-factat"
          />
        </label>
        {correcting === null && (
          <label>
            <span className="lb-sr">{t.entry.operation}</span>
            <select
              value={draft.operationId}
              onChange={(e) => set('operationId', e.target.value)}
              data-testid="entry-operation"
            >
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
      </div>
      {!shiftOpen && (
        <p className="lb-notice" data-testid="entry-no-shift">
          {t.entry.noShift}
        </p>
      )}
      {error !== null && (
        <p role="alert" className="lb-error" data-testid="entry-error">
          {error}
        </p>
      )}
    </div>
  );
};
