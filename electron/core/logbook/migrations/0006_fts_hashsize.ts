import type { Migration } from '../../store/types.js';

/**
 * logbook 6: FTS5 keeps up to 64 MiB of pending terms in memory before it writes a segment, instead of 1 MiB.
 *
 * A transaction that writes many entries (a rebuild, a large remote batch) flushed a new level-0 segment
 * at every MiB of pending terms; with `automerge` 0 (migration 4) the levels then filled to `crisismerge`
 * (16) and the same transaction merged them, rewriting what it had just written. 64 MiB makes 64 times
 * fewer segments: filling the index of 1 M entries took 2.7 s instead of 4.4 s (16 MiB: 3.8 s; 256 MiB:
 * 2.6 s), and the index is 18 % smaller. An append writes a few hundred bytes of terms and flushes at its
 * commit as before; only a large transaction holds the memory, and only until it ends. The option is
 * FTS5's `hashsize` (ext/fts5/fts5_config.c, https://sqlite.org/src/file/ext/fts5/fts5_config.c), stored
 * in `logbook_fts_config` as migration 4's `automerge`.
 */
export const migration: Migration = {
  version: 6,
  name: 'fts_hashsize',
  up(db) {
    // A literal: better-sqlite3 binds JS numbers as REAL, and FTS5 wants an integer (as migration 4).
    db.exec("INSERT INTO logbook_fts (logbook_fts, rank) VALUES ('hashsize', 67108864)");
  },
};
