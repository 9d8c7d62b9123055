/**
 * `vigie repair` (docs/architecture.md, rule 1): every derived structure — projection tables, full-text
 * indexes, SQL indexes — rebuilt from the events, which are never written. The log is verified first: a
 * broken chain is not repaired, it is evidence.
 *
 * In place when SQLite can still walk the damaged structures: REINDEX (sqlite.org/lang_reindex.html),
 * FTS5 'delete-all' for contentless indexes (sqlite.org/fts5.html §6.5) and 'rebuild' for the others
 * (§6.9), then the projections emptied and replayed, in one transaction. When a page of an index or of a
 * projection table is garbage, SQLite cannot even free it (REINDEX and DROP both answer SQLITE_CORRUPT):
 * the file is then rebuilt as a new one — the schema by the migrations, the tables that are not derived
 * (events, heads, clock, meta, module state) copied as they are, the projections replayed — checked, and
 * put in place of the old one, which is kept beside it (`vigie.db.avant-reparation-<instant>`).
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { sqliteCode, StoreError } from './errors.js';
import { migrate } from './migrate.js';
import { openDatabase } from './open.js';
import { databasePath } from './paths.js';
import { verifyProjections } from './projections-check.js';
import { replayProjections, replayFrom } from './replay.js';
import type { ModuleSchema } from './types.js';
import { formatFailure, verifyDatabase } from './verify.js';

export interface RepairResult {
  mode: 'in-place' | 'new-file';
  events: number;
  /** The damaged file kept aside (new-file mode). */
  previous?: string;
}

const syncDir = (dir: string): void => {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

const ftsTables = (db: Database.Database, schema = 'main'): { name: string; contentless: boolean }[] =>
  (
    db
      .prepare(
        `SELECT name, sql FROM ${schema}.sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'`,
      )
      .all() as { name: string; sql: string }[]
  ).map((t) => ({ name: t.name, contentless: /content\s*=\s*''/i.test(t.sql) }));

const fullCheck = (db: Database.Database, what: string): void => {
  const rows = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
  if (rows.length !== 1 || rows[0] !== 'ok')
    throw new StoreError('corrupt', `${what} toujours endommagée après réparation : ${rows.slice(0, 3).join(' ; ')}`);
};

const inPlace = (db: Database.Database, modules: readonly ModuleSchema[]): number => {
  const projections = modules.flatMap((m) => m.projections);
  return db
    .transaction(() => {
      db.exec('REINDEX');
      const fts = ftsTables(db);
      for (const t of fts)
        if (t.contentless) db.prepare(`INSERT INTO ${quote(t.name)} (${quote(t.name)}) VALUES ('delete-all')`).run();
      const events = replayProjections(db, projections);
      for (const t of fts) {
        if (!t.contentless) db.prepare(`INSERT INTO ${quote(t.name)} (${quote(t.name)}) VALUES ('rebuild')`).run();
        db.prepare(`INSERT INTO ${quote(t.name)} (${quote(t.name)}) VALUES ('optimize')`).run();
      }
      return events;
    })
    .immediate();
};

/** The tables that hold facts, not derivations: copied into the new file as they are. */
const sourceTables = (fresh: Database.Database, modules: readonly ModuleSchema[]): string[] => {
  const derived = new Set(modules.flatMap((m) => m.projections.flatMap((p) => p.tables)));
  const fts = ftsTables(fresh).map((t) => t.name);
  return (
    fresh
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[]
  ).filter(
    (name) =>
      !derived.has(name) && !fts.some((f) => name === f || name.startsWith(`${f}_`)) && name !== 'schema_versions',
  );
};

const intoNewFile = (
  file: string,
  modules: readonly ModuleSchema[],
  nowMs: number,
): { events: number; previous: string } => {
  const staging = `${file}.reparation`;
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${staging}${suffix}`, { force: true });
  const fresh = new Database(staging);
  let events: number;
  try {
    fresh.pragma('journal_mode = DELETE');
    migrate(fresh, staging, modules);
    fresh.prepare('ATTACH DATABASE ? AS damaged').run(file);
    events = fresh
      .transaction(() => {
        // schema_versions comes from the migrations just run; the damaged file's own rows are not needed.
        for (const table of sourceTables(fresh, modules)) {
          const columns = (fresh.prepare(`PRAGMA main.table_info(${quote(table)})`).all() as { name: string }[])
            .map((c) => quote(c.name))
            .join(', ');
          fresh.exec(`DELETE FROM main.${quote(table)}`);
          fresh.exec(`INSERT INTO main.${quote(table)} (${columns}) SELECT ${columns} FROM damaged.${quote(table)}`);
        }
        return replayFrom(
          fresh,
          fresh,
          modules.flatMap((m) => m.projections),
        );
      })
      .immediate();
    fresh.exec('DETACH DATABASE damaged');
    const report = verifyDatabase(fresh);
    if (report.firstBad !== undefined)
      throw new StoreError('corrupt', `Copie réparée refusée : ${formatFailure(report.firstBad)}`);
    fullCheck(fresh, 'La copie réparée');
  } catch (error) {
    fresh.close();
    rmSync(staging, { force: true });
    throw error;
  }
  fresh.close();
  const previous = `${file}.avant-reparation-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm'])
    if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${previous}${suffix}`);
  chmodSync(staging, 0o600);
  renameSync(staging, file);
  syncDir(dirname(file));
  return { events, previous };
};

/** Repairs the database of `dataDir` (the caller holds the data directory's lock: no console runs). */
export const repairDatabase = (
  dataDir: string,
  modules: readonly ModuleSchema[],
  nowMs: number = Date.now(),
): RepairResult => {
  const file = databasePath(dataDir);
  // 'log': the log's own tables and chain ends are checked, the rest is what we are here to repair.
  const db = openDatabase(file, { dataDir, startupCheck: 'log' });
  let events: number;
  try {
    migrate(db, file, modules);
    const report = verifyDatabase(db);
    if (report.firstBad !== undefined)
      throw new StoreError(
        'corrupt',
        `Le journal lui-même est atteint (${formatFailure(report.firstBad)}) : vigie repair ne reconstruit que les tables dérivées. Restaurez une sauvegarde.`,
      );
    try {
      events = inPlace(db, modules);
      fullCheck(db, 'La base');
      const check = db.transaction(() => verifyProjections(db, modules))();
      if (!check.ok)
        throw new StoreError('corrupt', `projections toujours différentes : ${check.firstDifference?.message ?? ''}`);
      db.pragma('wal_checkpoint(TRUNCATE)');
      return { mode: 'in-place', events };
    } catch (error) {
      if (!(error instanceof StoreError) && !/^SQLITE_CORRUPT/.test(sqliteCode(error) ?? '')) throw error;
    }
  } finally {
    db.close();
  }
  const { events: replayed, previous } = intoNewFile(file, modules, nowMs);
  return { mode: 'new-file', events: replayed, previous };
};
