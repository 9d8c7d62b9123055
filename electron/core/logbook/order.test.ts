import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../store/migrate.js';
import { compareOrder } from '../store/replay.js';
import type { ProjectionKey } from '../store/types.js';
import { migrations } from './migrations/index.js';
import { firstEntryFrom, lastEntryBefore } from './order.js';
import { writtenSpan } from './filters.js';

/**
 * The binary searches of order.ts and the seeks of `writtenSpan` against the obvious scan of every row, on
 * entries in projection order from three origins (entry_no with gaps), for many keys and every bound.
 */
const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

let seed = 11;
const random = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

const hlcOf = (ms: number, c: number): string => `${String(ms).padStart(15, '0')}-${String(c).padStart(5, '0')}`;

interface Row extends ProjectionKey {
  entryNo: number;
  at: number;
  ooo: number;
}

/** `n` entries in projection order; times written go back now and then (a remote entry), flagged as the projection does. */
const fill = (n: number): { db: Database.Database; rows: Row[] } => {
  const db = new Database(':memory:');
  opened.push(db);
  migrate(db, 'mem', [{ name: 'logbook', migrations }]);
  const insert = db.prepare(
    `INSERT INTO logbook_entries (entry_no, event_id, origin, seq, hlc, at_ms, author, category, text, day, day_no, ooo)
     VALUES (?, ?, ?, ?, ?, ?, 'Marie', 'information', 'x', '2026-11-20', ?, ?)`,
  );
  const rows: Row[] = [];
  const seqs = new Map<string, number>();
  let ms = Date.parse('2026-11-20T00:00:00Z');
  let entryNo = 0;
  let latest: number | null = null;
  let counter = 0;
  for (let i = 0; i < n; i += 1) {
    // The HLC's counter grows while its physical part stays; several origins may share one HLC.
    if (random() < 0.7) {
      ms += 1 + Math.floor(random() * 1000);
      counter = 0;
    } else if (random() < 0.5) counter += 1;
    const hlc = hlcOf(ms, counter);
    // Under one HLC, origins in their order (the same origin again is a later seq).
    const previous = rows.at(-1);
    const origins = ['pos-a', 'pos-b', 'pos-c'].filter((o) => previous?.hlc !== hlc || o >= previous.origin);
    const origin = origins[Math.floor(random() * origins.length)] ?? 'pos-c';
    const seq = (seqs.get(origin) ?? 0) + 1;
    seqs.set(origin, seq);
    entryNo += random() < 0.1 ? 3 : 1;
    const at = random() < 0.1 ? ms - 5000 - Math.floor(random() * 50_000) : ms;
    const ooo = latest !== null && at < latest ? 1 : 0;
    latest = latest === null ? at : Math.max(latest, at);
    const row = { entryNo, hlc, origin, seq, at, ooo };
    rows.push(row);
    insert.run(entryNo, `e${i}`, origin, seq, row.hlc, at, i + 1, ooo);
  }
  // The keys must be in projection order for the search to hold; the fixture checks itself.
  for (let i = 1; i < rows.length; i += 1) expect(compareOrder(rows[i - 1] as Row, rows[i] as Row)).toBeLessThan(0);
  return { db, rows };
};

describe('entries in projection order', () => {
  it('firstEntryFrom and lastEntryBefore give what a scan of every entry gives', () => {
    const { db, rows } = fill(500);
    const keys: ProjectionKey[] = [
      ...rows.flatMap((r) => [r, { ...r, seq: r.seq + 1 }, { hlc: r.hlc, origin: '', seq: 0 }]),
      { hlc: '0', origin: '', seq: 0 },
      { hlc: '9', origin: '', seq: 0 },
    ];
    for (const key of keys) {
      const first = rows.find((r) => compareOrder(r, key) >= 0)?.entryNo ?? null;
      expect(firstEntryFrom(db, key), JSON.stringify(key)).toBe(first);
      const before = rows.filter((r) => r.hlc < key.hlc).at(-1)?.entryNo ?? 0;
      expect(lastEntryBefore(db, key.hlc), key.hlc).toBe(before);
    }
  });

  it('answer for an empty table', () => {
    const { db } = fill(0);
    expect(firstEntryFrom(db, { hlc: '0', origin: '', seq: 0 })).toBeNull();
    expect(lastEntryBefore(db, '9')).toBe(0);
    expect(writtenSpan(db, 10)).toEqual({ first: null, last: null });
  });

  it('writtenSpan gives the earliest and latest time written up to each entry, out-of-order ones included', () => {
    const { db, rows } = fill(400);
    expect(rows.some((r) => r.ooo === 1 && r.at < (rows[0]?.at ?? 0))).toBe(true);
    for (let upTo = 0; upTo <= (rows.at(-1)?.entryNo ?? 0) + 1; upTo += 1) {
      const times = rows.filter((r) => r.entryNo <= upTo).map((r) => r.at);
      const expected =
        times.length === 0 ? { first: null, last: null } : { first: Math.min(...times), last: Math.max(...times) };
      expect(writtenSpan(db, upTo), String(upTo)).toEqual(expected);
    }
  });
});
