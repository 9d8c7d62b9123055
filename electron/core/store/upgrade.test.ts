import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { databasePath, KERNEL_MODULE, LAYOUT_VERSION, schemaVersions, type Store } from './index.js';
import { kernelMigrations } from './migrations/index.js';
import { describeSchema } from './schema.js';
import { testSchemas, useTempStores } from './testing.js';

/**
 * In-place upgrade of a real file written by the single-registry code (main at 869c24c, user_version 6,
 * 37 events of every type; made by electron/testing/fixtures/make-main-v6.mjs). The committed file is
 * copied first and never opened in place.
 */
const fixture = join(dirname(fileURLToPath(import.meta.url)), '../../testing/fixtures/main-v6.db');
const { tempDir, open } = useTempStores('vigie-upgrade-');

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

interface EventLine {
  origin: string;
  seq: number;
  id: string;
  type: string;
  payload: string;
  prev_hash: string;
  hash: string;
}
const events = (db: Database.Database): EventLine[] =>
  db
    .prepare('SELECT origin, seq, id, type, payload, prev_hash, hash FROM events ORDER BY origin, seq')
    .all() as EventLine[];

const projectionTables = (): string[] =>
  testSchemas().flatMap((m) => m.projections.flatMap((p) => p.tables.filter((t) => !t.endsWith('_fts'))));

/** Projection tables of modules written after the fixture (main-v6.db): empty there by construction. */
const NEWER_THAN_FIXTURE = new Set([
  // Entries linked to a call by their callId came after the fixture: its entries carry none.
  'call_entry_links',
  'health_state',
  'health_manual_calls',
  'directory_entries',
  'drills',
  'drill_marks',
  'trust_checkpoints',
  'trust_keys',
  'trust_witness',
]);

/** Every row of every projection table, in a stable order. */

const dumpProjections = (db: Database.Database): Record<string, string[]> =>
  Object.fromEntries(
    projectionTables().map((table) => [
      table,
      db
        .prepare(`SELECT * FROM "${table}"`)
        .all()
        .map((row) => JSON.stringify(row))
        .sort(),
    ]),
  );

/**
 * What the contentless FTS5 index answers: its rows cannot be read back, so each word and each meta token
 * of every entry is searched and the matching entry numbers are listed.
 */
const dumpSearch = (db: Database.Database): Record<string, number[]> => {
  const rows = db.prepare('SELECT entry_no, text, category, author FROM logbook_entries').all() as {
    text: string;
    category: string;
    author: string;
  }[];
  const queries = new Set<string>();
  for (const row of rows) {
    for (const word of row.text.split(/[^\p{L}\p{N}]+/u)) if (word !== '') queries.add(`text : "${word}"`);
    queries.add(`meta : k${Buffer.from(row.category).toString('hex').toUpperCase()}`);
    queries.add(`meta : a${Buffer.from(row.author).toString('hex').toUpperCase()}`);
  }
  queries.add('meta : imp1');
  const search = db.prepare('SELECT rowid FROM logbook_fts WHERE logbook_fts MATCH ? ORDER BY rowid');
  return Object.fromEntries(
    [...queries].sort().map((q) => [q, (search.all(q) as { rowid: number }[]).map((r) => r.rowid)]),
  );
};

const openFixtureCopy = (): { dir: string; store: Store; before: EventLine[] } => {
  const dir = tempDir();
  copyFileSync(fixture, databasePath(dir));
  const raw = new Database(databasePath(dir), { readonly: true });
  const before = events(raw);
  expect(raw.pragma('user_version', { simple: true })).toBe(6);
  raw.close();
  return { dir, store: open(dir), before };
};

describe('upgrade of a database written by the single-registry code (fixture main-v6.db)', () => {
  it('keeps every event and its hash, verifies, and records the module versions', () => {
    const committed = sha256(fixture);
    const { store, before } = openFixtureCopy();
    expect(before).toHaveLength(37);
    expect(events(store.db)).toEqual(before);
    expect(store.verify()).toMatchObject({ ok: true, events: 37 });
    expect(store.db.pragma('user_version', { simple: true })).toBe(LAYOUT_VERSION);
    expect(schemaVersions(store.db, store.path)).toEqual(
      Object.fromEntries([
        [KERNEL_MODULE, kernelMigrations.length],
        ...testSchemas()
          .filter((s) => s.migrations.length > 0)
          .map((s) => [s.name, s.migrations.length] as const),
      ]),
    );
    // The users enrolled on that main stay on the roster with their role; their unkeyed PIN is dropped
    // (electron/core/logbook/roster.ts), so a chef de salle needs a new PIN before signing in again.
    expect(store.db.prepare('SELECT name, role, pin_verifier FROM roster ORDER BY name').all()).toEqual([
      { name: 'Marie Chef', role: 'chef_de_salle', pin_verifier: null },
      { name: 'Paul Opérateur', role: 'operateur', pin_verifier: null },
    ]);
    // Same schema as a file created by this code from nothing.
    const fresh = open(tempDir());
    expect(describeSchema(store.db)).toEqual(describeSchema(fresh.db));
    expect(sha256(fixture)).toBe(committed);
  });

  it('every projection table holds what rebuild() gives from the events, full-text search included', () => {
    const { store } = openFixtureCopy();
    const tables = dumpProjections(store.db);
    const search = dumpSearch(store.db);
    // The fixture has rows of every projection it predates: an empty table would compare equal trivially.
    // Modules added since (health) have no event in it; their own tests rebuild them (health/core.test.ts).
    for (const [table, rows] of Object.entries(tables))
      if (!NEWER_THAN_FIXTURE.has(table)) expect(rows.length, table).toBeGreaterThan(0);
    expect(Object.values(search).some((ids) => ids.length > 0)).toBe(true);
    expect(store.rebuild()).toEqual({ events: 37 });
    expect(dumpProjections(store.db)).toEqual(tables);
    expect(dumpSearch(store.db)).toEqual(search);
    expect(store.verify().ok).toBe(true);
  });

  it('the upgraded file reopens with nothing to do and keeps appending on the same chain', () => {
    const { dir, store, before } = openFixtureCopy();
    store.close();
    const again = open(dir);
    const next = again.append('logbook.entry', { text: 'Après la mise à niveau', category: 'information' }, 'test');
    const last = before.filter((e) => e.origin === next.origin).at(-1);
    expect(next.seq).toBe((last?.seq ?? 0) + 1);
    expect(next.prevHash).toBe(last?.hash);
    expect(again.verify()).toMatchObject({ ok: true, events: 38 });
  });
});
