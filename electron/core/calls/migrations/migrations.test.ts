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
    expect(migrations.map((m) => [m.version, m.name])).toEqual([
      [1, 'calls'],
      [2, 'end_detail'],
      [3, 'entry_links'],
    ]);
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

  it('2 end_detail: a column filled from the first call.ended of each ended call, as a rebuild would', () => {
    const db = atVersion(1);
    insertCall(db, 'c1', 'ended');
    insertCall(db, 'c2', 'ended');
    insertCall(db, 'c3', 'active');
    // The kernel's migrations created the log (store/migrations); hashes do not matter to this step.
    let seq = 0;
    const insert = db.prepare(
      "INSERT INTO events (origin, seq, id, hlc, type, author, payload, prev_hash, hash) VALUES ('P', ?, ?, ?, ?, 'op', ?, '', '')",
    );
    const event = {
      run: (hlc: string, type: string, payload: string) => insert.run(++seq, `e${seq}`, hlc, type, payload),
    };
    event.run('2', 'call.ended', JSON.stringify({ callId: 'c1', detail: 'liaison SIP perdue pendant la sonnerie' }));
    event.run('3', 'call.ended', JSON.stringify({ callId: 'c1', detail: 'plus tard, ignoré' }));
    event.run('1', 'call.ended', JSON.stringify({ callId: 'c2' }));
    event.run('4', 'call.ended', JSON.stringify({ callId: 'c3', detail: 'appel encore en cours : pas pris' }));
    expect(migrate(db, 'mem', [{ name: 'calls', migrations: migrations.slice(0, 2) }])).toBe(1);
    expect(db.prepare('SELECT id, end_detail FROM calls ORDER BY id').all()).toEqual([
      { id: 'c1', end_detail: 'liaison SIP perdue pendant la sonnerie' },
      { id: 'c2', end_detail: null },
      { id: 'c3', end_detail: null },
    ]);
  });

  it('3 entry_links: the entries written during a call in their own table, call_links as call.linked wrote it', () => {
    const db = atVersion(2);
    insertCall(db, 'c1');
    let seq = 0;
    const insert = db.prepare(
      "INSERT INTO events (origin, seq, id, hlc, type, author, payload, prev_hash, hash) VALUES ('P', ?, ?, ?, ?, 'Marie', ?, '', '')",
    );
    const event = (hlc: string, type: string, payload: object): string => {
      seq += 1;
      insert.run(seq, `e${seq}`, hlc, type, JSON.stringify(payload));
      return `e${seq}`;
    };
    const during = event('001764590000123-00000', 'logbook.entry', { text: 'Feu', category: 'appel', callId: 'c1' });
    const elsewhere = event('001764590000200-00001', 'logbook.entry', { text: 'Ailleurs', callId: 'c9' });
    event('001764590000300-00000', 'logbook.entry', { text: 'Sans appel', category: 'information' });
    const byHand = event('001764590000400-00000', 'call.linked', {
      callId: 'c1',
      at: 400,
      kind: 'entry',
      targetId: 'x1',
    });
    // As the calls projection wrote them until now: the entry during c1, the link by hand.
    const link = db.prepare(
      "INSERT INTO call_links (call_id, kind, target_id, at, author) VALUES ('c1', 'entry', ?, ?, 'Marie')",
    );
    link.run(during, 1_764_590_000_123);
    link.run('x1', 400);
    expect(byHand).toBe('e4');
    expect(migrate(db, 'mem', [{ name: 'calls', migrations: migrations.slice(0, 3) }])).toBe(1);
    expect(schemaVersions(db, 'mem')['calls']).toBe(3);
    expect(db.prepare('SELECT call_id, entry_id, at, author FROM call_entry_links ORDER BY entry_id').all()).toEqual([
      { call_id: 'c1', entry_id: during, at: 1_764_590_000_123, author: 'Marie' },
      // A call this database never saw: kept, the reads join calls (queries.ts).
      { call_id: 'c9', entry_id: elsewhere, at: 1_764_590_000_200, author: 'Marie' },
    ]);
    expect(db.prepare('SELECT call_id, kind, target_id, at FROM call_links').all()).toEqual([
      { call_id: 'c1', kind: 'entry', target_id: 'x1', at: 400 },
    ]);
    expect(() => db.prepare('SELECT rowid FROM call_entry_links').get()).toThrow(/rowid/);
  });
});
