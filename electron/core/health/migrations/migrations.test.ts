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
    expect(migrations.map((m) => [m.version, m.name])).toEqual([[1, 'health']]);
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
});
