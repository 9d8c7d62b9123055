import type { Migration } from '../../store/types.js';

/**
 * logbook 4 (was the store's 0006): FTS5 segment merges leave the append path (measured: README "Figures", append tail at 1 M events).
 *
 * With FTS5's default `automerge` (4), every transaction that writes to `logbook_fts` counts the leaf
 * pages it wrote, and each time that count crosses a multiple of 64 the transaction also does
 * 64 × (number of levels) pages of incremental merge work (https://sqlite.org/fts5.html#the_automerge_configuration_option).
 * One append writes one leaf, so one append in 64 wrote 320–1 310 WAL pages instead of ~20 at 1 M
 * entries: 1.5 % of appends, i.e. the p99. `automerge = 0` turns that off; the merging is done instead
 * by the store's background worker with the 'merge' command, in its own short transactions
 * (https://sqlite.org/fts5.html#the_merge_command; store/checkpointer.ts). `crisismerge` keeps its default (16):
 * should the worker not run (`checkpoint: 'inline'`, a CLI command), no level ever holds more than 16
 * segments (https://sqlite.org/fts5.html#the_crisismerge_configuration_option), so queries stay bounded.
 * The setting is stored in `logbook_fts_config`, not in the schema: the snapshot guard does not see it.
 */
export const migration: Migration = {
  version: 4,
  name: 'fts_merge_off_append',
  up(db) {
    // A literal, not a bound parameter: better-sqlite3 binds JS numbers as REAL, and FTS5 wants an integer.
    db.exec("INSERT INTO logbook_fts (logbook_fts, rank) VALUES ('automerge', 0)");
  },
};
