import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mappingSqliteErrors, StoreError } from './errors.js';
import { databasePath, type Projection } from './index.js';
import { testSchemas, useTempStores } from './testing.js';

const { tempDir, open } = useTempStores('vigie-errors-');
const entry = (text: string) => ({ type: 'logbook.entry', payload: { text, category: 'information' }, author: 'test' });
const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('aucune erreur levée');
};

describe('StoreError from SQLite failures', () => {
  it('a full disk during an append is disk_full, names the file, writes nothing, and the store goes on', () => {
    const store = open(tempDir());
    store.append(entry('avant').type, entry('avant').payload, 'test');
    // The file may not grow by a single page: what SQLite reports when the disk is full (SQLITE_FULL,
    // https://sqlite.org/pragma.html#pragma_max_page_count).
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    const error = caught(() => store.appendAll(Array.from({ length: 200 }, (_, i) => entry(`${i} `.repeat(200)))));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('disk_full');
    expect((error as StoreError).message).toContain('disque plein');
    expect((error as StoreError).message).toContain(store.path);
    expect(store.count()).toBe(1);
    store.db.pragma('max_page_count = 4294967294');
    expect(store.append(entry('après').type, entry('après').payload, 'test').seq).toBe(2);
    expect(store.verify()).toMatchObject({ ok: true, events: 2 });
  });

  it('a write on a read-only connection is read_only, naming the file', () => {
    const dir = tempDir();
    open(dir).close();
    const file = databasePath(dir);
    const db = new Database(file, { readonly: true });
    const error = caught(() => mappingSqliteErrors(file, () => db.prepare('DELETE FROM meta').run()));
    db.close();
    expect(error).toMatchObject({ code: 'read_only' });
    expect((error as StoreError).message).toContain(`${file} est en lecture seule`);
  });

  it('a lock held by another connection beyond the wait is locked', () => {
    const file = join(tempDir(), 'x.db');
    const holder = new Database(file);
    holder.exec('CREATE TABLE t (x INTEGER)');
    holder.exec('BEGIN IMMEDIATE');
    const other = new Database(file, { timeout: 0 });
    const error = caught(() => mappingSqliteErrors(file, () => other.exec('INSERT INTO t VALUES (1)')));
    holder.exec('ROLLBACK');
    other.close();
    holder.close();
    expect(error).toMatchObject({ code: 'locked' });
  });

  it('leaves other failures as they are (a projection bug stays a plain Error)', () => {
    const failing: Projection = {
      name: 'failing',
      tables: [],
      apply() {
        throw new Error('projection en panne');
      },
    };
    const store = open(tempDir(), {
      modules: [...testSchemas(), { name: 'failing', eventTypes: [], projections: [failing], migrations: [] }],
    });
    const error = caught(() => store.append(entry('x').type, entry('x').payload, 'test'));
    expect(error).not.toBeInstanceOf(StoreError);
    expect((error as Error).message).toBe('projection en panne');
  });

  it('a closed store and declaration mistakes have their own codes', () => {
    const store = open(tempDir());
    store.close();
    expect(caught(() => store.append(entry('x').type, entry('x').payload, 'test'))).toMatchObject({
      code: 'unavailable',
    });
    const twice = [...testSchemas(), ...testSchemas().slice(0, 1)];
    expect(caught(() => open(tempDir(), { modules: twice }))).toMatchObject({ code: 'invalid' });
  });
});
