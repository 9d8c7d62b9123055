import { useEffect, useState } from 'react';
import type { DirectoryEntry, VigieClient } from '../../../electron/contract/index.js';

/** Entries of a search, as the operator types; the newest answer wins (earlier ones may come late). */
export interface DirectorySearch {
  /** null until the first answer. */
  found: DirectoryEntry[] | null;
  /** The core's reason when the latest search failed (the list shown is then the previous one). */
  error: string | null;
}

export const useDirectorySearch = (
  client: VigieClient,
  query: string,
  active: boolean,
  limit = 40,
): DirectorySearch => {
  const [found, setFound] = useState<DirectoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => client.onEvent((e) => e.type === 'directory.changed' && setVersion((v) => v + 1)), [client]);
  useEffect(() => {
    if (!active) return;
    let live = true;
    void client.call('directory.search', { query, limit }).then((r) => {
      if (!live) return;
      if (r.ok) setFound(r.value);
      setError(r.ok ? null : r.error.message);
    });
    return () => {
      live = false;
    };
  }, [client, query, active, limit, version]);
  return { found, error };
};

/** The entries that hold a speed-dial key (Alt+1 … Alt+9), kept up to date. */
export const useSpeedDials = (client: VigieClient, connected: boolean): Map<number, DirectoryEntry> => {
  const all = useDirectorySearch(client, '', connected, 500).found;
  const keyed = new Map<number, DirectoryEntry>();
  for (const e of all ?? []) if (e.speedDial !== null) keyed.set(e.speedDial, e);
  return keyed;
};

/** What the operator typed, as a number to dial, or null when it is a name to search. */
export const typedNumber = (query: string): string | null => {
  const compact = query.trim().replace(/[\s.()-]+/g, '');
  return /^\+?[0-9*#]{2,32}$/.test(compact) ? compact : null;
};
