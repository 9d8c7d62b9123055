import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDataDir } from '../../testing/data-dir.js';
import { moduleSchemas } from '../modules.js';
import { openStore, type Store } from '../store/index.js';

/**
 * Migration 0006: FTS5 automerge is off on logbook_fts, so appends never do segment merges; the store's
 * background worker merges instead (sqlite.org/fts5.html#the_merge_command). Each single append is one
 * transaction and writes one level-0 segment; `logbook_fts_idx` has rows for every segment (segid).
 */
const segments = (store: Store): number =>
  (store.db.prepare('SELECT count(DISTINCT segid) AS n FROM logbook_fts_idx').get() as { n: number }).n;
const matches = (store: Store, word: string): number =>
  (
    store.db.prepare('SELECT count(*) AS n FROM logbook_fts WHERE logbook_fts MATCH ?').get(`"${word}"`) as {
      n: number;
    }
  ).n;

const dirs: string[] = [];
const stores: Store[] = [];
const open = (checkpoint: 'background' | 'inline'): Store => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-fts-merge-'));
  dirs.push(dir);
  const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false, checkpoint });
  stores.push(store);
  return store;
};
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) removeDataDir(dir);
});

describe('logbook_fts merges off the append path', () => {
  it('has automerge = 0 after the migrations', () => {
    const store = open('inline');
    const row = store.db.prepare("SELECT v FROM logbook_fts_config WHERE k = 'automerge'").get() as
      { v: number } | undefined;
    expect(row?.v).toBe(0);
  });

  it('inline: segments pile up to crisismerge (16) at most, and search stays exact', () => {
    const store = open('inline');
    for (let i = 0; i < 40; i += 1)
      store.append('logbook.entry', { text: `cyclone ${i}`, category: 'information' }, 'A');
    // No automerge: 40 appends leave more than usermerge (4) segments; crisismerge bounds each level to < 16.
    expect(segments(store)).toBeGreaterThan(4);
    expect(segments(store)).toBeLessThan(32);
    expect(matches(store, 'cyclone')).toBe(40);
  });

  it('background: the worker merges the segments the appends left, and search stays exact', async () => {
    const store = open('background');
    for (let i = 0; i < 40; i += 1)
      store.append('logbook.entry', { text: `cyclone ${i}`, category: 'information' }, 'A');
    const before = segments(store);
    const deadline = Date.now() + 10_000;
    while (segments(store) >= Math.min(before, 4) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(segments(store)).toBeLessThan(4);
    expect(matches(store, 'cyclone')).toBe(40);
    store.append('logbook.entry', { text: 'cyclone encore', category: 'information' }, 'A');
    expect(matches(store, 'cyclone')).toBe(41);
  });
});
