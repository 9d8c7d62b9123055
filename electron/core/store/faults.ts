/**
 * Storage faults as the status bar must show them. A full disk or a read-only file refuses every write
 * (the append answers « disque plein » / « lecture seule » with the path, errors.ts) but the file is
 * sound, so the integrity check stays green: this remembers the last such refusal until a write
 * succeeds again, for `Status.database` (docs/architecture.md, "Kernel").
 */
import { StoreError } from './errors.js';
import type { Store } from './types.js';

const FAULTS = new Set(['disk_full', 'read_only']);

export interface WatchedStore {
  /** The same store, its writes watched. */
  store: Store;
  /** The message of the last refused write, or null once a write went through. */
  fault(): string | null;
}

export const watchWriteFaults = (inner: Store, onChange: () => void): WatchedStore => {
  let fault: string | null = null;
  const set = (next: string | null): void => {
    if (next === fault) return;
    fault = next;
    onChange();
  };
  const watched =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      try {
        const result = fn(...args);
        set(null);
        return result;
      } catch (error) {
        if (error instanceof StoreError && FAULTS.has(error.code)) set(error.message);
        throw error;
      }
    };
  const store: Store = {
    get origin() {
      return inner.origin;
    },
    get db() {
      return inner.db;
    },
    get path() {
      return inner.path;
    },
    append<P>(type: string, payload: P, author: string) {
      return watched(() => inner.append(type, payload, author))();
    },
    appendAll: watched(inner.appendAll),
    receiveClock: watched(inner.receiveClock),
    applyRemote: watched(inner.applyRemote),
    rebuild: watched(inner.rebuild),
    onAppend: (listener) => inner.onAppend(listener),
    count: () => inner.count(),
    verify: () => inner.verify(),
    backup: () => inner.backup(),
    integrity: () => inner.integrity(),
    clock: () => inner.clock(),
    close: () => inner.close(),
  };
  return { store, fault: () => fault };
};
