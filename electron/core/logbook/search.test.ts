import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogbookFilters } from '../../contract/logbook.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { moduleSchemas } from '../modules.js';
import { openStore, type Store } from '../store/index.js';
import { metaText } from './meta.js';
import { countEntries, entriesBatch, getEntryRow, lastEntryHash, listEntries, searchEntries } from './queries.js';

/**
 * Search and list against a naive model: the same random log, every query answered by SQL (FTS5 +
 * meta tokens + entry_no bounds, paged) and by plain filtering in memory, must give the same ids.
 */
const WORDS = [
  'Départ',
  'retour',
  'VSAV',
  'Koné',
  'Nouméa',
  'feu',
  'brousse',
  'appel',
  'ÉVACUATION',
  'radier',
  'coupé',
  'Païta',
  'renfort',
  'hélicoptère',
];
const AUTHORS = ['Agent A', 'Agent B', 'Éloïse Wéa'];
const CATEGORIES = ['information', 'moyens engagés', 'décision'];
const OPS = ['op-1', 'op-2'];

const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const tokens = (s: string): string[] => fold(s).match(/[\p{L}\p{N}]+/gu) ?? [];

interface Model {
  id: string;
  entryNo: number;
  text: string;
  author: string;
  category: string;
  important: boolean;
  operationId: string | null;
  at: number;
}

let seed = 7;
const random = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

describe('search and list agree with a naive model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-search-'));
  let store: Store;
  let t = Date.parse('2026-11-01T00:00:00Z');
  const model: Model[] = [];

  beforeAll(() => {
    store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false, now: () => t });
    for (let i = 0; i < 1200; i += 1) {
      t += Math.floor(random() * 3_600_000);
      const payload = {
        text: Array.from({ length: 2 + Math.floor(random() * 5) }, () => pick(WORDS)).join(' '),
        category: pick(CATEGORIES),
        ...(random() < 0.2 ? { important: true } : {}),
        ...(random() < 0.3 ? { operationId: pick(OPS) } : {}),
      };
      const author = pick(AUTHORS);
      const event = store.append('logbook.entry', payload, author);
      const row = store.db.prepare('SELECT entry_no, at_ms FROM logbook_entries WHERE event_id = ?').get(event.id) as {
        entry_no: number;
        at_ms: number;
      };
      model.push({
        id: event.id,
        entryNo: row.entry_no,
        text: payload.text,
        author,
        category: payload.category,
        important: payload.important ?? false,
        operationId: payload.operationId ?? null,
        at: row.at_ms,
      });
    }
    // An entry received out of order (as replication will bring): written "before" the newest ones.
    // Written into the projection directly, as the logbook projection would for such an event.
    const at = Date.parse('2026-11-03T00:00:00Z');
    const info = store.db
      .prepare(
        `INSERT INTO logbook_entries (event_id, origin, seq, hlc, at_ms, author, category, text, day, day_no, position, fact_ms, important, kind, event_hash, ooo)
         VALUES ('remote-1', 'remote', 1, '', ?, 'Agent A', 'information', 'Départ hélicoptère distant', '2026-11-03', 1, 'POSTE-9', ?, 0, 'entry', '', 1)`,
      )
      .run(at, at);
    store.db
      .prepare('INSERT INTO logbook_fts (rowid, text, meta) VALUES (?, ?, ?)')
      .run(
        info.lastInsertRowid,
        'Départ hélicoptère distant',
        metaText({ category: 'information', author: 'Agent A', important: false, operationId: null, shiftId: null }),
      );
    model.push({
      id: 'remote-1',
      entryNo: Number(info.lastInsertRowid),
      text: 'Départ hélicoptère distant',
      author: 'Agent A',
      category: 'information',
      important: false,
      operationId: null,
      at,
    });
  });
  afterAll(() => {
    store.close();
    removeDataDir(dir);
  });

  const naive = (query: string, f: LogbookFilters): string[] => {
    const words = tokens(query);
    return model
      .filter((m) => {
        const have = tokens(m.text);
        const textOk = words.every((w, i) =>
          i === words.length - 1 && w.length >= 2 ? have.some((h) => h.startsWith(w)) : have.includes(w),
        );
        return (
          textOk &&
          (f.category === undefined || m.category === f.category) &&
          (f.author === undefined || m.author === f.author) &&
          (f.important === undefined || m.important === f.important) &&
          (f.operationId === undefined || m.operationId === f.operationId) &&
          (f.from === undefined || m.at >= Date.parse(f.from)) &&
          (f.to === undefined || m.at <= Date.parse(f.to))
        );
      })
      .sort((a, b) => b.entryNo - a.entryNo)
      .map((m) => m.id);
  };

  const viaSql = (query: string, f: LogbookFilters): string[] => {
    const ids: string[] = [];
    let before: number | undefined;
    for (let guard = 0; guard < 1000; guard += 1) {
      const page = query === '' ? listEntries(store.db, f, before, 7) : searchEntries(store.db, query, f, before, 7);
      ids.push(...page.entries.map((e) => e.id));
      if (page.cursor === null) return ids;
      before = page.cursor;
    }
    throw new Error('pagination sans fin');
  };

  it('for 300 random queries, filters, date ranges and pages', () => {
    const start = model[0]?.at ?? 0;
    const end = model[model.length - 2]?.at ?? 0;
    for (let i = 0; i < 300; i += 1) {
      const words = Array.from({ length: Math.floor(random() * 3) }, () => {
        const w = pick(WORDS);
        return random() < 0.3 ? fold(w).slice(0, 2 + Math.floor(random() * 3)) : random() < 0.5 ? fold(w) : w;
      });
      const f: LogbookFilters = {};
      if (random() < 0.3) f.category = pick(CATEGORIES);
      if (random() < 0.3) f.author = pick(AUTHORS);
      if (random() < 0.2) f.important = random() < 0.5;
      if (random() < 0.2) f.operationId = pick(OPS);
      if (random() < 0.4) {
        const a = start + random() * (end - start);
        const b = a + random() * (end - start) * 0.3;
        f.from = new Date(a).toISOString();
        if (random() < 0.7) f.to = new Date(b).toISOString();
      }
      const query = words.join(' ');
      expect(viaSql(query, f), `${query} ${JSON.stringify(f)}`).toEqual(naive(query, f));
    }
  });

  it('an export holds what the list holds: batches, count and last hash, for 120 random queries and filters', () => {
    const upTo = Math.max(...model.map((m) => m.entryNo));
    for (let i = 0; i < 120; i += 1) {
      const query = random() < 0.5 ? '' : pick(WORDS);
      const f: LogbookFilters = {};
      if (random() < 0.5) f.category = pick(CATEGORIES);
      if (random() < 0.5) f.author = pick(AUTHORS);
      if (random() < 0.2) f.important = random() < 0.5;
      if (random() < 0.2) f.operationId = pick(OPS);
      const expected = naive(query, f);
      const q = query === '' ? undefined : query;
      const ids: string[] = [];
      for (let after = 0, guard = 0; guard < 1000; guard += 1) {
        const rows = entriesBatch(store.db, f, after, upTo, 50, q);
        if (rows.length === 0) break;
        ids.push(...rows.map((r) => r.event_id));
        after = rows.at(-1)?.entry_no ?? after;
      }
      const label = `${query} ${JSON.stringify(f)}`;
      expect(ids, label).toEqual([...expected].reverse());
      expect(countEntries(store.db, f, upTo, q), label).toBe(expected.length);
      const newest = expected[0];
      expect(lastEntryHash(store.db, f, upTo, q), label).toBe(
        newest === undefined ? null : (getEntryRow(store.db, newest)?.event_hash ?? 'absent'),
      );
    }
  });

  it('finds the out-of-order entry by its own date, not by its position in the log', () => {
    const ids = viaSql('depart helico', { from: '2026-11-02T12:00:00Z', to: '2026-11-03T12:00:00Z' });
    expect(ids).toContain('remote-1');
    expect(viaSql('', { from: '2026-11-02T12:00:00Z', to: '2026-11-03T12:00:00Z' })).toContain('remote-1');
    expect(viaSql('depart helico', { from: '2026-11-04T00:00:00Z' })).not.toContain('remote-1');
  });
});
