import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { LogbookEntry, VigieClient } from '../../../electron/contract/index.js';
import type { EntryPrefill } from '../calls/WrapUp.js';
import { altKeys, keys } from '../shortcuts.js';
import { EntryBox, type CurrentCall } from './EntryBox.js';
import { EntryDetails } from './EntryDetails.js';
import { EntryList } from './EntryList.js';
import { ExportBar } from './ExportBar.js';
import { LinkOperation } from './LinkOperation.js';
import { Operations } from './Operations.js';
import { emptyForm, SearchBar, toView, type FilterForm } from './SearchBar.js';
import { Roster } from './Roster.js';
import { ShiftBar } from './ShiftBar.js';
import { SignIn } from './SignIn.js';
import { logbookStrings as t } from './strings.js';
import { useEntries, useOperations, useSessionAndShift } from './useLogbook.js';
import './logbook.css';

/**
 * The main courante screen. Keys (shortcuts.ts): F8 new entry (always one key away), Ctrl+Enter commit,
 * Escape cancel, F7 search, Alt+L the entry list, arrows in the list, R to correct the selected entry,
 * O to rattacher it to an operation.
 */
export const LogbookScreen = ({
  client,
  connected,
  prefill,
  currentCall,
  textareaRef,
  listRef,
}: {
  client: VigieClient;
  connected: boolean;
  /** « Inscrire en main courante » from the wrap-up. */
  prefill: EntryPrefill | null;
  /** The call in conversation: an entry written now is linked to it. */
  currentCall: CurrentCall | null;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  listRef: RefObject<HTMLDivElement | null>;
}) => {
  const { session, setSession, shift, ready } = useSessionAndShift(client, connected);
  const operations = useOperations(client, connected);
  const [categories, setCategories] = useState<string[]>([]);
  const [form, setForm] = useState<FilterForm>(emptyForm);
  const [debounced, setDebounced] = useState<FilterForm>(emptyForm);
  // The selected entry, by id: live entries and reloads move it in the list, R and O must act on it.
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState<LogbookEntry | null>(null);
  const [linking, setLinking] = useState<LogbookEntry | null>(null);
  const operationTitles = useMemo(() => new Map(operations.map((o) => [o.operationId, o.title])), [operations]);
  const titleOf = (entry: LogbookEntry | undefined): string | null =>
    entry === undefined || entry.operationId === null ? null : (operationTitles.get(entry.operationId) ?? null);
  const searchRef = useRef<HTMLInputElement>(null);

  // Search as you type, one query per pause rather than per key.
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(form), 200);
    return () => clearTimeout(timer);
  }, [form]);
  const view = useMemo(() => toView(debounced), [debounced]);
  const { entries, loadMore, hasMore, loading, error } = useEntries(client, connected, view);
  const selected = selectedId === null ? -1 : entries.findIndex((e) => e.id === selectedId);
  const select = useCallback((index: number) => setSelectedId(entries[index]?.id ?? null), [entries]);
  // For the window's key handler, registered once.
  const entriesRef = useRef(entries);
  useEffect(() => {
    entriesRef.current = entries;
  }, [entries]);

  useEffect(() => {
    if (!connected) return;
    void client.call('logbook.categories', {}).then((r) => {
      if (r.ok) setCategories(r.value);
    });
  }, [client, connected]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.code === altKeys.entryList) {
        e.preventDefault();
        listRef.current?.focus();
        setSelectedId((id) =>
          id !== null && entriesRef.current.some((e) => e.id === id) ? id : (entriesRef.current[0]?.id ?? null),
        );
      } else if (e.key === keys.entry) {
        e.preventDefault();
        // Not signed in yet: the same key leads to the sign-in form.
        (textareaRef.current ?? document.querySelector<HTMLInputElement>('[data-testid="signin-name"]'))?.focus();
      } else if (e.key === keys.search) {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [textareaRef, listRef]);

  // After signing in or opening a shift, the form that had the focus is gone: the entry box takes it.
  const signedIn = session !== null;
  const shiftId = shift?.shiftId ?? null;
  useEffect(() => {
    if (!signedIn) return;
    const active = document.activeElement;
    if (active === null || active === document.body) textareaRef.current?.focus();
  }, [signedIn, shiftId, textareaRef]);

  const rectify = useCallback((entry: LogbookEntry) => setCorrecting(entry), []);
  const chronology = useCallback((operationId: string) => setForm({ ...emptyForm, operationId }), []);

  if (!ready) return <p className="lb-muted">{t.list.loading}</p>;
  return (
    <div className="lb-screen" data-testid="logbook-screen">
      {session === null ? (
        <SignIn client={client} onSignedIn={setSession} />
      ) : (
        <>
          <ShiftBar
            client={client}
            session={session}
            shift={shift}
            onSignedOut={() => setSession(null)}
            // After the dialog has closed and given the focus back (to a button the close may have removed).
            onClosed={() => requestAnimationFrame(() => textareaRef.current?.focus())}
          >
            <Operations
              client={client}
              operations={operations}
              onChronology={chronology}
              mayClose={session.permissions.closeOperation}
            />
            {/* In the bar, beside the operations: a line above the list would cost a row at 1366×768. */}
            {session.permissions.manageUsers && <Roster client={client} />}
          </ShiftBar>
          <EntryBox
            client={client}
            categories={categories}
            operations={operations}
            correcting={correcting}
            onCancelCorrection={() => {
              setCorrecting(null);
              textareaRef.current?.focus();
            }}
            textareaRef={textareaRef}
            onCommitted={(entry) => setSelectedId(entry.id)}
            prefill={prefill}
            currentCall={currentCall}
            shiftOpen={shift !== null}
          />
        </>
      )}
      <SearchBar form={form} onChange={setForm} categories={categories} operations={operations} inputRef={searchRef}>
        <ExportBar client={client} query={view.query} filters={view.filters} />
      </SearchBar>
      {error !== null && (
        <p role="alert" className="lb-error">
          {error}
        </p>
      )}
      <div className="lb-main">
        <EntryList
          entries={entries}
          selected={selected}
          onSelect={select}
          onRectify={session === null ? () => {} : rectify}
          onLink={session === null ? () => {} : setLinking}
          operationTitles={operationTitles}
          loadMore={loadMore}
          hasMore={hasMore}
          loading={loading}
          listRef={listRef}
        />
        <EntryDetails entry={entries[selected]} operation={titleOf(entries[selected])} />
      </div>
      {linking !== null && (
        <LinkOperation
          client={client}
          entry={linking}
          operations={operations}
          onDone={() => {
            setLinking(null);
            // Once the dialog is gone (removed while open, it leaves the focus on the body): back to the list.
            requestAnimationFrame(() => listRef.current?.focus());
          }}
        />
      )}
    </div>
  );
};
