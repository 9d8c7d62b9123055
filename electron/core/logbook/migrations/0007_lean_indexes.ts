import type { Migration } from '../../store/types.js';

/**
 * logbook 7: four indexes of `logbook_entries` that no read needs any more, dropped. Every entry a rebuild, a
 * remote batch or an append writes paid for them: ten B-trees per entry where six remain.
 * - `logbook_entries_hlc`: entry_no follows projection order, so a position in HLC order is a binary search on
 *   the primary key (order.ts): the export's last entry before a checkpoint, the first entry a late remote
 *   batch makes the projection forget.
 * - `logbook_entries_at`: the in-order and out-of-order indexes of migration 3 hold the same keys between
 *   them, and answer the latest time written and a period's bounds (numbering.ts, filters.ts `writtenSpan`).
 * - `logbook_entries_category`, `logbook_entries_author`: a list filtered by category or author is a query of
 *   the full-text index's `meta` column, as a search with words already was (filters.ts `filtersByMeta`).
 * Measured at 1 M entries: bench/rebuild.ts, bench/logbook.ts (docs/architecture.md, "Targets").
 */
export const migration: Migration = {
  version: 7,
  name: 'lean_indexes',
  up(db) {
    db.exec(`
      DROP INDEX logbook_entries_hlc;
      DROP INDEX logbook_entries_at;
      DROP INDEX logbook_entries_category;
      DROP INDEX logbook_entries_author;
    `);
  },
};
