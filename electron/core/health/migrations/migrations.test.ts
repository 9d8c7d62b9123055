import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersions } from '../../store/migrate.js';
import { migrations } from './index.js';

/** One test per migration of the health module: the effect of step n on a file at version n − 1. */
const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});
const tables = (db: Database.Database): string[] =>
  (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'health%' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describe('health migrations', () => {
  it('are numbered from 1 in order', () => {
    expect(migrations.map((m) => [m.version, m.name])).toEqual([
      [1, 'health'],
      [2, 'without_rowid'],
    ]);
  });

  it('1 health: the state per position and the manual calls, with the phase checked', () => {
    const db = new Database(':memory:');
    opened.push(db);
    migrate(db, 'mem', [{ name: 'health', migrations: [] }]);
    expect(tables(db)).toEqual([]);
    migrate(db, 'mem', [{ name: 'health', migrations: migrations.slice(0, 1) }]);
    expect(tables(db)).toEqual(['health_manual_calls', 'health_state']);
    expect(schemaVersions(db, 'mem')['health']).toBe(1);
    expect(() =>
      db.prepare("INSERT INTO health_state (origin, phase, faults) VALUES ('o', 'panique', '[]')").run(),
    ).toThrow(/CHECK/);
    db.prepare("INSERT INTO health_state (origin, phase, faults) VALUES ('o', 'degraded', '[]')").run();
    expect(db.prepare('SELECT entries, manual_calls FROM health_state').get()).toEqual({ entries: 0, manual_calls: 0 });
  });

  it('2 without_rowid: the same rows, keyed by position and by manual call, without a rowid', () => {
    const db = new Database(':memory:');
    opened.push(db);
    migrate(db, 'mem', [{ name: 'health', migrations: migrations.slice(0, 1) }]);
    db.prepare(
      "INSERT INTO health_state (origin, phase, since, faults, entries) VALUES ('p2', 'degraded', 5, '[\"sip\"]', 3)",
    ).run();
    db.prepare(
      `INSERT INTO health_manual_calls (id, event_id, origin, taken_at, line, caller_number, nature, notes, means,
         author, position, outage_since, recorded_at)
       VALUES ('m1', 'e1', 'p2', 10, '18', '+687 27 00 00', 'feu', '', 'radio', 'Marie', 'Poste 2', 5, 11)`,
    ).run();
    const before = [
      db.prepare('SELECT * FROM health_state').all(),
      db.prepare('SELECT * FROM health_manual_calls').all(),
    ];
    migrate(db, 'mem', [{ name: 'health', migrations }]);
    expect(schemaVersions(db, 'mem')['health']).toBe(2);
    expect([
      db.prepare('SELECT * FROM health_state').all(),
      db.prepare('SELECT * FROM health_manual_calls').all(),
    ]).toEqual(before);
    expect(() => db.prepare('SELECT rowid FROM health_state').get()).toThrow(/rowid/);
    expect(() => db.prepare('SELECT rowid FROM health_manual_calls').get()).toThrow(/rowid/);
    expect(() =>
      db.prepare("INSERT INTO health_state (origin, phase, faults) VALUES ('p3', 'panique', '[]')").run(),
    ).toThrow(/CHECK/);
    expect(
      db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE tbl_name = 'health_manual_calls' AND type = 'index' AND sql IS NOT NULL",
        )
        .pluck()
        .all(),
    ).toEqual(['health_manual_calls_taken']);
  });
});
