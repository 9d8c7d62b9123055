import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VigieError } from '../../contract/result.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { moduleSchemas } from '../modules.js';
import { openStore, type Store } from '../store/index.js';
import { allEntries } from './projection.js';
import { createDirectoryHandlers, type DirectoryHandlers } from './service.js';

const sample = readFileSync(join(__dirname, '../../../resources/directory-sample.csv'), 'utf8');
let dir: string;
let store: Store;
let h: DirectoryHandlers;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-directory-'));
  store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
  h = createDirectoryHandlers({ store, operator: () => 'Marie', now: () => 7_000 });
});
afterEach(() => {
  store.close();
  removeDataDir(dir);
});

const refusal = (run: () => unknown): VigieError => {
  try {
    run();
  } catch (error) {
    if (error instanceof VigieError) return error;
    throw error;
  }
  throw new Error('accepté à tort');
};

describe('directory on a real SQLite store', () => {
  it('imports the sample in one go, searches as you type, exports what it holds', () => {
    expect(h['directory.import']({ csv: sample })).toEqual({ created: 13, updated: 0 });
    expect(store.count()).toBe(13);
    expect(h['directory.search']({ query: 'gend', limit: 50 }).map((e) => e.name)).toEqual([
      'Gendarmerie — COG (FICTIF)',
    ]);
    // Accents and case aside, words in any order, the number by its digits, the service by its label.
    expect(h['directory.search']({ query: 'BOULOU mairie', limit: 50 }).map((e) => e.name)).toEqual([
      'Mairie de Boulouparis — astreinte (FICTIF)',
    ]);
    expect(h['directory.search']({ query: '00 00 05', limit: 50 }).map((e) => e.category)).toEqual(['meteo']);
    expect(h['directory.search']({ query: 'pompiers', limit: 50 }).map((e) => e.speedDial)).toEqual([1]);
    expect(h['directory.search']({ query: '100%_', limit: 50 })).toEqual([]);
    const exported = h['directory.export']({});
    expect(exported.count).toBe(13);
    expect(exported.csv.split('\r\n')[0]).toBe('nom;service;numero;touche;notes');
    // Importing the export again changes no entry: same names, same ids.
    const before = allEntries(store.db).map((e) => e.id);
    expect(h['directory.import']({ csv: exported.csv })).toEqual({ created: 0, updated: 13 });
    expect(allEntries(store.db).map((e) => e.id)).toEqual(before);
  });

  it('imports nothing at all when one line is bad, and says which', () => {
    h['directory.import']({ csv: sample });
    const events = store.count();
    const lines = sample.trimEnd().split('\n');
    const bad = [
      ...lines.slice(0, 5),
      'Phare Amédée;phare;00 00 99;;',
      ...lines.slice(5),
      'Nouveau;autre;00 00 98;;',
    ].join('\n');
    const error = refusal(() => h['directory.import']({ csv: bad }));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toBe('Import refusé : 1 ligne en erreur, rien n’a été importé.');
    expect(error.details?.[0]).toMatch(/^ligne 6 : service « phare » inconnu/);
    expect(store.count()).toBe(events);
    expect(h['directory.search']({ query: 'nouveau', limit: 5 })).toEqual([]);
  });

  it('rolls the whole import back when the transaction fails half-way', () => {
    // The store refuses an event after the first rows were written (a payload its schema rejects, built
    // here past the CSV checks): the transaction must leave no row and no event behind.
    let n = 0;
    const failing = createDirectoryHandlers({
      store: {
        db: store.db,
        append: store.append.bind(store),
        appendAll: (items) => store.appendAll(items.map((item) => (++n === 5 ? { ...item, payload: {} } : item))),
      },
      operator: () => 'Marie',
    });
    expect(() => failing['directory.import']({ csv: sample })).toThrow();
    expect(store.count()).toBe(0);
    expect(allEntries(store.db)).toEqual([]);
  });

  it('refuses every change when the position may not edit, and still searches', () => {
    h['directory.import']({ csv: sample });
    const events = store.count();
    const locked = createDirectoryHandlers({
      store,
      operator: () => 'Paul',
      checkEdit: () => {
        throw new VigieError('forbidden', 'Modifier l’annuaire est réservé au chef de salle et au technicien.');
      },
    });
    const id = h['directory.search']({ query: 'samu', limit: 1 })[0]?.id ?? '';
    expect(refusal(() => locked['directory.import']({ csv: sample })).code).toBe('forbidden');
    expect(refusal(() => locked['directory.remove']({ id })).code).toBe('forbidden');
    expect(
      refusal(() => locked['directory.save']({ name: 'X', category: 'autre', number: '1', notes: '', speedDial: null }))
        .message,
    ).toMatch(/réservé au chef de salle/);
    expect(store.count()).toBe(events);
    expect(locked['directory.search']({ query: 'samu', limit: 5 })).toHaveLength(1);
  });

  it('saves, moves a speed-dial key to the newest entry, removes, and rebuilds to the same rows', () => {
    const a = h['directory.save']({ name: 'SDIS', category: 'sdis', number: '000001', notes: '', speedDial: 1 });
    const b = h['directory.save']({ name: 'SAMU', category: 'samu', number: '000002', notes: '', speedDial: 1 });
    expect(allEntries(store.db).map((e) => [e.name, e.speedDial])).toEqual([
      ['SAMU', 1],
      ['SDIS', null],
    ]);
    expect(b.updatedBy).toBe('Marie');
    h['directory.save']({ id: a.id, name: 'SDIS Sud', category: 'sdis', number: '000003', notes: 'n', speedDial: 2 });
    h['directory.remove']({ id: b.id });
    const rows = allEntries(store.db);
    expect(rows.map((e) => [e.name, e.number, e.speedDial])).toEqual([['SDIS Sud', '000003', 2]]);
    expect(refusal(() => h['directory.remove']({ id: b.id })).code).toBe('not_found');
    store.rebuild();
    expect(allEntries(store.db)).toEqual(rows);
  });
});
