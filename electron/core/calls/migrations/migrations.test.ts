import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersions } from '../../store/migrate.js';
import { migrations } from './index.js';

/** One test per migration of the calls module: the effect of step n on a file at version n − 1. */
const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});
const atVersion = (version: number): Database.Database => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  opened.push(db);
  migrate(db, 'mem', [{ name: 'calls', migrations: migrations.slice(0, version) }]);
  return db;
};
const tables = (db: Database.Database): string[] =>
  (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND (name LIKE 'call%') ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

const insertCall = (db: Database.Database, id: string, state = 'ringing'): void => {
  db.prepare(
    'INSERT INTO calls (id, sip_call_id, direction, line_number, line_label, line_priority, caller_number, state, position, offered_at) ' +
      "VALUES (?, ?, 'in', '18', 'Pompiers 18', 20, '+687270001', ?, 'POSTE-1', 1)",
  ).run(id, `sip-${id}`, state);
};

describe('calls migrations', () => {
  it('are numbered from 1 in order', () => {
    expect(migrations.map((m) => [m.version, m.name])).toEqual([[1, 'calls']]);
  });

  it('1 calls: the calls, notes, links, callbacks and attempts tables, with their checks and references', () => {
    const db = atVersion(0);
    expect(tables(db)).toEqual([]);
    expect(migrate(db, 'mem', [{ name: 'calls', migrations: migrations.slice(0, 1) }])).toBe(1);
    expect(schemaVersions(db, 'mem')['calls']).toBe(1);
    expect(tables(db)).toEqual(['call_links', 'call_notes', 'callback_attempts', 'callbacks', 'calls']);
    insertCall(db, 'c1');
    expect(db.prepare('SELECT hold_count, state FROM calls').get()).toEqual({ hold_count: 0, state: 'ringing' });
    expect(() => insertCall(db, 'c2', 'perdu')).toThrow(/CHECK/);
    const note = db.prepare("INSERT INTO call_notes (event_id, call_id, at, author, text) VALUES (?, ?, 1, 'A', 'x')");
    note.run('e1', 'c1');
    expect(() => note.run('e2', 'inconnu')).toThrow(/FOREIGN KEY/);
    const callback = db.prepare(
      "INSERT INTO callbacks (id, call_id, sip_call_id, number, line_label, created_at, status) VALUES (?, 'c1', 'sip-c1', '+687270001', 'Pompiers 18', 1, 'pending')",
    );
    callback.run('cb1');
    // One callback per SIP call.
    expect(() => callback.run('cb2')).toThrow(/UNIQUE/);
  });
});
