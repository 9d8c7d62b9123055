/**
 * Digests used by the replication tests to compare positions: the ordered list of event ids, and every
 * projection table's rows (with their rowid where the table has one, since rowids are cited by other
 * rows). Two positions converged when both digests are equal. Not used by production code.
 */
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { moduleSchemas } from '../core/modules.js';

export const projectionTables = (): string[] => moduleSchemas().flatMap((m) => m.projections.flatMap((p) => p.tables));

/** SHA-256 of the event ids in projection order (HLC, origin, seq), one per line. */
export const eventDigest = (db: Database.Database): { count: number; digest: string } => {
  const ids = db.prepare('SELECT id FROM events ORDER BY hlc, origin, seq').pluck().all() as string[];
  return { count: ids.length, digest: createHash('sha256').update(ids.join('\n')).digest('hex') };
};

const rowsOf = (db: Database.Database, table: string): unknown[] => {
  try {
    return db.prepare(`SELECT rowid AS _rowid, * FROM "${table}" ORDER BY rowid`).raw().all();
  } catch {
    // WITHOUT ROWID table: every column, in primary-key order is not known here, so sort the JSON lines.
    return (db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[]).map((r) => JSON.stringify(r)).sort();
  }
};

/** Per projection table: row count and SHA-256 of its rows. */
export const projectionDigest = (db: Database.Database): Record<string, { rows: number; digest: string }> => {
  const out: Record<string, { rows: number; digest: string }> = {};
  for (const table of projectionTables()) {
    const rows = rowsOf(db, table);
    out[table] = { rows: rows.length, digest: createHash('sha256').update(JSON.stringify(rows)).digest('hex') };
  }
  return out;
};
