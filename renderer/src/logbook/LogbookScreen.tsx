import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LogbookEntry, VigieClient } from '../../../electron/contract/index.js';
import { EntryBox } from './EntryBox.js';
import { EntryDetails } from './EntryDetails.js';
import { EntryList } from './EntryList.js';
import { ExportBar } from './ExportBar.js';
import { Operations } from './Operations.js';
import { emptyForm, SearchBar, toView, type FilterForm } from './SearchBar.js';
import { Roster } from './Roster.js';
import { ShiftBar } from './ShiftBar.js';
import { SignIn } from './SignIn.js';
import { logbookStrings as t } from './strings.js';
import { useEntries, useOperations, useSessionAndShift } from './useLogbook.js';
import './logbook.css';

/**
 * The main courante screen. Keys: F8 new entry (always one key away), Ctrl+Enter commit, Escape
 * cancel, F7 search, arrows in the list, R to correct the selected entry ("Rectifier").
 */
export const LogbookScreen = ({ client, connected }: { client: VigieClient; connected: boolean }) => {
  const { session, setSession, shift, ready } = useSessionAndShift(client, connected);
  const operations = useOperations(client, connected);
  const [categories, setCategories] = useState<string[]>([]);
  const [form, setForm] = useState<FilterForm>(emptyForm);
  const [debounced, setDebounced] = useState<FilterForm>(emptyForm);
  const [selected, setSelected] = useState(-1);
  const [correcting, setCorrecting] = useState<LogbookEntry | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);

  // Search as you type, one query per pause rather than per key.
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(form), 200);
    return () => clearTimeout(timer);
  }, [form]);
  const view = useMemo(() => toView(debounced), [debounced]);
  const { entries, loadMore, hasMore, loading, error } = useEntries(client, connected, view);

  useEffect(() => {
    if (!connected) return;
    void client.call('logbook.categories', {}).then((r) => {
      if (r.ok) setCategories(r.value);
    });
  }, [client, connected]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F8') {
        e.preventDefault();
        // Not signed in yet: the same key leads to the sign-in form.
        (textareaRef.current ?? document.querySelector<HTMLInputElement>('[data-testid="signin-name"]'))?.focus();
      } else if (e.key === 'F7') {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const rectify = useCallback((entry: LogbookEntry) => setCorrecting(entry), []);
  const chronology = useCallback((operationId: string) => setForm({ ...emptyForm, operationId }), []);

  if (!ready) return <p className="lb-muted">{t.list.loading}</p>;
  return (
    <div className="lb-screen" data-testid="logbook-screen">
      {session === null ? (
        <SignIn client={client} onSignedIn={setSession} />
      ) : (
        <>
          <ShiftBar client={client} session={session} shift={shift} onSignedOut={() => setSession(null)} />
          {session.permissions.manageUsers && <Roster client={client} />}
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
            onCommitted={() => setSelected(0)}
          />
          <Operations client={client} operations={operations} onChronology={chronology} />
        </>
      )}
      <SearchBar form={form} onChange={setForm} categories={categories} operations={operations} inputRef={searchRef} />
      <ExportBar client={client} filters={view.filters} />
      {error !== null && (
        <p role="alert" className="lb-error">
          {error}
        </p>
      )}
      <EntryList
        entries={entries}
        selected={selected}
        onSelect={setSelected}
        onRectify={session === null ? () => {} : rectify}
        loadMore={loadMore}
        hasMore={hasMore}
        loading={loading}
        listRef={listRef}
      />
      <EntryDetails entry={entries[selected]} />
      <p className="lb-help">{t.keys.help}</p>
    </div>
  );
};
