import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  LogbookEntry,
  LogbookFilters,
  Operation,
  Session,
  Shift,
  VigieClient,
} from '../../../electron/contract/index.js';
import { appendPage, placeLive, placeNewestFirst } from './live.js';

const PAGE = 300;

export interface View {
  query: string;
  filters: LogbookFilters;
}

const isPlainView = (view: View): boolean => view.query.trim() === '' && Object.keys(view.filters).length === 0;

/**
 * The entries shown: newest first, paged by cursor, kept live by `logbook.entry` events. An entry
 * appears only once the core has committed it (the core sends the event after COMMIT); a correction
 * also re-sends its original, which is replaced in place. After a burst the core sends `logbook.stale`
 * instead of each entry (core/kernel/burst.ts): the first page of the view is asked again.
 */
export const useEntries = (client: VigieClient, connected: boolean, view: View) => {
  const key = JSON.stringify(view);
  // What is on screen, and for which view: `loading` is derived (the view asked is not the one shown).
  const [shown, setShown] = useState<{
    key: string;
    entries: LogbookEntry[];
    cursor: number | null;
    error: string | null;
  }>({
    key: '',
    entries: [],
    cursor: null,
    error: null,
  });
  const [loadingMore, setLoadingMore] = useState(false);
  // Bumped by `logbook.stale`: the core held back a burst of entries, the first page is asked again.
  const [staleness, setStaleness] = useState(0);
  const viewRef = useRef(view);
  useEffect(() => {
    viewRef.current = view;
  }, [view]);

  const fetchPage = useCallback(
    (v: View, before: number | undefined) => {
      const args = { filters: v.filters, limit: PAGE, ...(before !== undefined ? { before } : {}) };
      return v.query.trim() === ''
        ? client.call('logbook.list', args)
        : client.call('logbook.search', { ...args, query: v.query });
    },
    [client],
  );

  useEffect(() => {
    if (!connected) return;
    let live = true;
    // What is shown stays until the answer replaces it (a reload after a burst does not blank the list).
    void fetchPage(view, undefined).then((result) => {
      if (!live) return;
      setShown(
        result.ok
          ? { key, entries: result.value.entries, cursor: result.value.cursor, error: null }
          : { key, entries: [], cursor: null, error: result.error.message },
      );
    });
    return () => {
      live = false;
    };
  }, [connected, fetchPage, view, key, staleness]);

  const loadMore = useCallback(() => {
    if (shown.cursor === null || loadingMore || shown.key !== key) return;
    setLoadingMore(true);
    void fetchPage(view, shown.cursor).then((result) => {
      setLoadingMore(false);
      setShown((old) => {
        if (old.key !== key) return old;
        return result.ok
          ? { ...old, entries: appendPage(old.entries, result.value.entries), cursor: result.value.cursor }
          : { ...old, error: result.error.message };
      });
    });
  }, [shown.cursor, shown.key, loadingMore, key, view, fetchPage]);

  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type === 'logbook.stale') setStaleness((n) => n + 1);
        if (event.type !== 'logbook.entry') return;
        const entry = event.entry;
        setShown((old) => {
          const known = old.entries.some((e) => e.id === entry.id);
          // A filtered or searched view is not guessed at: it shows new entries on its next query.
          if (!known && !isPlainView(viewRef.current)) return old;
          const entries = placeLive(old.entries, entry, old.cursor !== null);
          return entries === old.entries ? old : { ...old, entries };
        });
      }),
    [client],
  );

  return {
    entries: shown.entries,
    loadMore,
    hasMore: shown.cursor !== null,
    loading: loadingMore || shown.key !== key,
    error: shown.error,
  };
};

/** Who is signed in here, and the room's current shift; live. */
export const useSessionAndShift = (client: VigieClient, connected: boolean) => {
  const [session, setSession] = useState<Session | null>(null);
  const [shift, setShift] = useState<Shift | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!connected) return;
    void Promise.all([client.call('session.current', {}), client.call('shift.current', {})]).then(([s, sh]) => {
      if (s.ok) setSession(s.value);
      if (sh.ok) setShift(sh.value);
      setReady(true);
    });
  }, [client, connected]);
  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type === 'session') setSession(event.session);
        if (event.type === 'shift') setShift(event.shift.closedAt === null ? event.shift : null);
      }),
    [client],
  );
  return { session, setSession, shift, setShift, ready };
};

export const useOperations = (client: VigieClient, connected: boolean) => {
  const [operations, setOperations] = useState<Operation[]>([]);
  useEffect(() => {
    if (!connected) return;
    void client.call('operation.list', { status: 'toutes' }).then((r) => {
      if (r.ok) setOperations(r.value);
    });
  }, [client, connected]);
  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type !== 'operation') return;
        const op = event.operation;
        // Newest first, as operation.list: one opened elsewhere during a cut goes by its time (live.ts).
        setOperations((old) =>
          placeNewestFirst(
            old,
            op,
            (a, b) => a.operationId === b.operationId,
            (o) => o.createdAt,
          ),
        );
      }),
    [client],
  );
  return operations;
};
