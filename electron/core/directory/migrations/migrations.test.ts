import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersions } from '../../store/migrate.js';
import { migrations } from './index.js';

/** One test per migration of the directory module: the effect of step n on a file at version n − 1. */
const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('directory migrations', () => {
  it('are numbered from 1 in order', () => {
    expect(migrations.map((m) => [m.version, m.name])).toEqual([[1, 'directory']]);
  });

  it('1 directory: one table, a speed-dial key 1–9 held by one entry at most', () => {
    const db = new Database(':memory:');
    opened.push(db);
    migrate(db, 'mem', [{ name: 'directory', migrations: migrations.slice(0, 1) }]);
    expect(schemaVersions(db, 'mem')['directory']).toBe(1);
    const insert = db.prepare(
      `INSERT INTO directory_entries (id, name, name_key, category, number, notes, speed_dial, search, updated_at, updated_by)
       VALUES (?, 'n', 'n', 'autre', '1', '', ?, 'n', 0, 'x')`,
    );
    insert.run('a', 1);
    expect(() => insert.run('b', 1)).toThrow(/UNIQUE/);
    expect(() => insert.run('c', 10)).toThrow(/CHECK/);
    insert.run('d', null);
    insert.run('e', null);
    expect(db.prepare('SELECT count(*) AS n FROM directory_entries').get()).toEqual({ n: 3 });
  });
});
