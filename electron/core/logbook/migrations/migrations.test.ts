import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersions } from '../../store/migrate.js';
import { migrations } from './index.js';

/**
 * One test per migration of the logbook module: the effect of step n on a file at version n − 1 holding
 * the rows the projection of that time wrote (the store's own tables are there, as in a real file).
 */
const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});
const atVersion = (version: number): Database.Database => {
  const db = new Database(':memory:');
  opened.push(db);
  migrate(db, 'mem', [{ name: 'logbook', migrations: migrations.slice(0, version) }]);
  return db;
};
const step = (db: Database.Database, version: number): void => {
  expect(migrate(db, 'mem', [{ name: 'logbook', migrations: migrations.slice(0, version) }])).toBe(1);
  expect(schemaVersions(db, 'mem')['logbook']).toBe(version);
};
const objects = (db: Database.Database, type: string): string[] =>
  (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = ? AND name LIKE 'logbook%' ORDER BY name").all(type) as {
      name: string;
    }[]
  ).map((r) => r.name);
const match = (db: Database.Database, query: string): number[] =>
  (
    db.prepare('SELECT rowid FROM logbook_fts WHERE logbook_fts MATCH ? ORDER BY rowid').all(query) as {
      rowid: number;
    }[]
  ).map((r) => r.rowid);
const hex = (s: string): string => Buffer.from(s).toString('hex');

/** 2026-11-20T12:30:00Z is 23:30 in Nouméa (UTC+11); 13:30Z is already the 21st there. */
const T = Date.parse('2026-11-20T12:30:00Z');

/** Entries as the projection of that version wrote them; from version 2 on, with their day and number. */
const insertEntries = (
  db: Database.Database,
  rows: { id: string; at: number; text: string; corrects?: string }[],
  numbered = false,
): void => {
  const insert = db.prepare(
    'INSERT INTO logbook_entries (event_id, origin, seq, hlc, at_ms, author, category, text, corrects_id) ' +
      "VALUES (?, 'pos-1', ?, ?, ?, 'Marie', 'information', ?, ?)",
  );
  const number = numbered
    ? db.prepare("UPDATE logbook_entries SET day = '2026-11-20', day_no = ? WHERE event_id = ?")
    : undefined;
  rows.forEach((r, i) => {
    insert.run(r.id, i + 1, String(r.at).padStart(15, '0'), r.at, r.text, r.corrects ?? null);
    number?.run(i + 1, r.id);
  });
};

describe('logbook migrations', () => {
  it('are numbered 1–7 in order', () => {
    expect(migrations.map((m) => [m.version, m.name])).toEqual([
      [1, 'logbook_entries'],
      [2, 'logbook'],
      [3, 'logbook_order'],
      [4, 'fts_merge_off_append'],
      [5, 'roster'],
      [6, 'fts_hashsize'],
      [7, 'lean_indexes'],
    ]);
  });

  it('1 logbook_entries: the entries table, numbered by rowid in append order, indexed by hlc', () => {
    const db = atVersion(0);
    expect(objects(db, 'table')).toEqual([]);
    step(db, 1);
    insertEntries(db, [
      { id: 'a', at: T, text: 'un' },
      { id: 'b', at: T + 1, text: 'deux' },
    ]);
    expect(db.prepare('SELECT entry_no, event_id FROM logbook_entries ORDER BY entry_no').all()).toEqual([
      { entry_no: 1, event_id: 'a' },
      { entry_no: 2, event_id: 'b' },
    ]);
    expect(objects(db, 'index')).toContain('logbook_entries_hlc');
    expect(() => insertEntries(db, [{ id: 'a', at: T, text: 'doublon' }])).toThrow(/UNIQUE/);
  });

  it('2 logbook: numbers existing entries per Nouméa day, links corrections, indexes the texts', () => {
    const db = atVersion(1);
    insertEntries(db, [
      { id: 'a', at: T, text: 'Départ VSAV' },
      { id: 'b', at: T + 60_000, text: 'Retour' },
      { id: 'c', at: T + 3_600_000, text: 'Rectificatif du départ', corrects: 'a' },
    ]);
    db.prepare(
      "INSERT INTO events (origin, seq, id, hlc, type, author, payload, prev_hash, hash) VALUES ('pos-1', 1, 'a', 'h', 'logbook.entry', 'Marie', '{}', '0', 'hash-a')",
    ).run();
    step(db, 2);
    expect(
      db.prepare('SELECT event_id, day, day_no, fact_ms, event_hash FROM logbook_entries ORDER BY entry_no').all(),
    ).toEqual([
      { event_id: 'a', day: '2026-11-20', day_no: 1, fact_ms: T, event_hash: 'hash-a' },
      { event_id: 'b', day: '2026-11-20', day_no: 2, fact_ms: T + 60_000, event_hash: '' },
      { event_id: 'c', day: '2026-11-21', day_no: 1, fact_ms: T + 3_600_000, event_hash: '' },
    ]);
    expect(db.prepare('SELECT corrects_id, entry_no FROM logbook_corrections').all()).toEqual([
      { corrects_id: 'a', entry_no: 3 },
    ]);
    // remove_diacritics 2: "depart" finds "Départ" and "départ".
    expect(match(db, 'depart')).toEqual([1, 3]);
    for (const table of ['users', 'sessions', 'shifts', 'operations'])
      expect(db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table)).toBeDefined();
  });

  it('3 logbook_order: flags out-of-order entries, and adds the meta column to the full-text index', () => {
    const db = atVersion(2);
    insertEntries(
      db,
      [
        { id: 'a', at: T, text: 'premier' },
        { id: 'b', at: T + 10_000, text: 'deuxième' },
        // Replicated from a position whose clock was behind: written after b, timed before it.
        { id: 'c', at: T + 5_000, text: 'troisième' },
        { id: 'd', at: T + 20_000, text: 'quatrième' },
      ],
      true,
    );
    db.prepare("UPDATE logbook_entries SET important = 1, operation_id = 'op-1' WHERE event_id = 'd'").run();
    step(db, 3);
    expect(db.prepare('SELECT event_id, ooo FROM logbook_entries ORDER BY entry_no').all()).toEqual([
      { event_id: 'a', ooo: 0 },
      { event_id: 'b', ooo: 0 },
      { event_id: 'c', ooo: 1 },
      { event_id: 'd', ooo: 0 },
    ]);
    expect(objects(db, 'index')).toEqual(
      expect.arrayContaining(['logbook_entries_in_order', 'logbook_entries_out_of_order']),
    );
    expect(match(db, 'text : troisieme')).toEqual([3]);
    expect(match(db, `meta : k${hex('information')}`)).toEqual([1, 2, 3, 4]);
    expect(match(db, `meta : a${hex('Marie')}`)).toEqual([1, 2, 3, 4]);
    expect(match(db, 'meta : imp1')).toEqual([4]);
    expect(match(db, `meta : o${hex('op-1')}`)).toEqual([4]);
    // A meta token is never found by a text search.
    expect(match(db, 'text : imp1')).toEqual([]);
  });

  it('4 fts_merge_off_append: automerge is 0 in the index configuration, nothing else changes', () => {
    const db = atVersion(3);
    const automerge = (): unknown =>
      db.prepare("SELECT v FROM logbook_fts_config WHERE k = 'automerge'").get() as { v: number } | undefined;
    expect(automerge()).toBeUndefined();
    const tables = objects(db, 'table');
    step(db, 4);
    expect(automerge()).toEqual({ v: 0 });
    expect(objects(db, 'table')).toEqual(tables);
  });

  it('6 fts_hashsize: 64 MiB of pending terms in the index configuration, what is indexed still found', () => {
    const db = atVersion(5);
    const hashsize = (): unknown =>
      db.prepare("SELECT v FROM logbook_fts_config WHERE k = 'hashsize'").get() as { v: number } | undefined;
    expect(hashsize()).toBeUndefined();
    const tables = objects(db, 'table');
    step(db, 6);
    expect(hashsize()).toEqual({ v: 64 * 1024 * 1024 });
    expect(objects(db, 'table')).toEqual(tables);
    db.prepare("INSERT INTO logbook_fts (rowid, text, meta) VALUES (7, 'feu de brousse à Bourail', '')").run();
    expect(match(db, 'bourail')).toEqual([7]);
  });

  it('7 lean_indexes: drops the hlc, time, category and author indexes of the entries, and only them', () => {
    const db = atVersion(6);
    insertEntries(
      db,
      [
        { id: 'e1', at: T, text: 'Départ VSAV' },
        { id: 'e2', at: T + 1000, text: 'Retour VSAV' },
      ],
      true,
    );
    const rows = db.prepare('SELECT * FROM logbook_entries ORDER BY entry_no').all();
    const before = objects(db, 'index');
    const dropped = ['logbook_entries_at', 'logbook_entries_author', 'logbook_entries_category', 'logbook_entries_hlc'];
    expect(before).toEqual(expect.arrayContaining(dropped));
    step(db, 7);
    expect(objects(db, 'index')).toEqual(before.filter((name) => !dropped.includes(name)));
    expect(db.prepare('SELECT * FROM logbook_entries ORDER BY entry_no').all()).toEqual(rows);
  });
});

describe('logbook migration 5 (roster)', () => {
  it('carries the users enrolled before onto the roster, with their role and without their unkeyed PIN', () => {
    const db = atVersion(4);
    const insert = db.prepare(
      "INSERT INTO events (origin, seq, id, hlc, type, author, payload, prev_hash, hash) VALUES ('pos-1', ?, ?, ?, ?, ?, ?, '', '')",
    );
    const hlc = `${String(T).padStart(15, '0')}-00000`;
    insert.run(
      1,
      'ev-1',
      hlc,
      'user.enrolled',
      'Marie Chef',
      JSON.stringify({ name: 'Marie Chef', role: 'chef_de_salle', pinHash: 'scrypt$00$11' }),
    );
    insert.run(2, 'ev-2', hlc, 'logbook.entry', 'Marie Chef', JSON.stringify({ text: 'x', category: 'information' }));
    insert.run(
      3,
      'ev-3',
      hlc,
      'user.enrolled',
      'Paul',
      JSON.stringify({ name: 'Paul', role: 'operateur', pinHash: null }),
    );
    db.prepare(
      "INSERT INTO sessions (session_id, origin, name, role, position, signed_in_ms) VALUES ('s1', 'pos-1', 'Paul', 'operateur', 'POSTE-1', ?)",
    ).run(T);
    step(db, 5);
    expect(db.prepare('SELECT user_id, name, role, pin_verifier, locked FROM roster ORDER BY name').all()).toEqual([
      { user_id: 'ev-1', name: 'Marie Chef', role: 'chef_de_salle', pin_verifier: null, locked: 0 },
      { user_id: 'ev-3', name: 'Paul', role: 'operateur', pin_verifier: null, locked: 0 },
    ]);
    // The session opened before the upgrade names no user: it no longer counts as signed in.
    expect(db.prepare('SELECT user_id FROM sessions').get()).toEqual({ user_id: null });
  });
});
