import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkRegistry, migrate } from './migrate.js';
import { migrations, type Migration } from './migrations/index.js';

const m = (version: number, sql: string): Migration => ({ version, name: `m${version}`, up: (db) => db.exec(sql) });
const tables = (db: Database.Database): string[] =>
  (
    db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[]
  ).map((r) => r.name);

describe('migrations', () => {
  it('the real registry has no gap and starts at 1', () => {
    expect(() => checkRegistry(migrations)).not.toThrow();
    expect(migrations[0]?.name).toBe('events');
  });

  it('refuses a registry with a gap or out of order', () => {
    expect(() => checkRegistry([m(1, ''), m(3, '')])).toThrow(/trou ou désordre/);
    expect(() => checkRegistry([m(2, ''), m(1, '')])).toThrow(/trou ou désordre/);
  });

  it('applies pending migrations only, and sets user_version', () => {
    const db = new Database(':memory:');
    const one = m(1, 'CREATE TABLE a (x INTEGER)');
    expect(migrate(db, 'mem', [one])).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(migrate(db, 'mem', [one, m(2, 'CREATE TABLE b (x INTEGER)')])).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(migrate(db, 'mem', [one, m(2, 'CREATE TABLE b (x INTEGER)')])).toBe(0);
    expect(tables(db)).toEqual(['a', 'b']);
    db.close();
  });

  it('is all or nothing: a failing migration leaves the schema and user_version as they were', () => {
    const db = new Database(':memory:');
    const list = [m(1, 'CREATE TABLE a (x INTEGER)'), m(2, 'CREATE TABLE b (x INTEGER)'), m(3, 'CREATE TABLE oops (')];
    expect(() => migrate(db, 'mem', list)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('refuses a newer database', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 5');
    expect(() => migrate(db, '/x/vigie.db', [m(1, 'CREATE TABLE a (x INTEGER)')])).toThrow(
      /La base \/x\/vigie.db a été écrite par une version plus récente/,
    );
    expect(tables(db)).toEqual([]);
    db.close();
  });
});
