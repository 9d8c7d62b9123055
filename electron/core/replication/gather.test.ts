/**
 * Gathering an out-of-order arrival (gather.ts): what sorts before the projected log is read on while it
 * keeps coming, within the bounds; what sorts after is not held back.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { useTempStores } from '../store/testing.js';
import type { Cursor, PulledEvent } from './central/client.js';
import { gather, sortsBeforeProjected, type Page } from './gather.js';

const { tempDir, open } = useTempStores('vigie-gather-');

const event = (seq: number, hlc: string, origin = '00000000-0000-4000-8000-000000000001'): PulledEvent => ({
  origin,
  seq,
  id: randomUUID(),
  hlc,
  type: 'logbook.entry',
  author: 'test',
  payloadJson: '{}',
  prevHash: '0'.repeat(64),
  hash: '0'.repeat(64),
  receivedAt: new Date().toISOString(),
  at: { txid: String(seq), sid: String(seq) },
});

const pageOf = (from: number, n: number): Page => {
  const events = Array.from({ length: n }, (_, i) =>
    event(from + i, `000000000000001-${String(from + i).padStart(5, '0')}`),
  );
  const last = events[events.length - 1];
  return { events, cursor: last === undefined ? { txid: '0', sid: '0' } : last.at };
};

/** A server that hands out `pages` one per read, then nothing; records the cursors it was asked after. */
const serverOf = (pages: Page[]) => {
  const asked: Cursor[] = [];
  return {
    asked,
    more: async (cursor: Cursor): Promise<Page> => {
      asked.push(cursor);
      return pages.shift() ?? { events: [], cursor };
    },
  };
};

const clock = () => performance.now();

describe('gathering an out-of-order arrival', () => {
  it('reads on while events come, from each page’s cursor, and stops once nothing more arrives', async () => {
    const server = serverOf([pageOf(11, 10), pageOf(21, 5)]);
    const got = await gather(pageOf(1, 10), server.more, { maxEvents: 1000, maxMs: 5000, quietMs: 30 }, clock);
    expect(got.events.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(got.cursor).toEqual({ txid: '25', sid: '25' });
    expect(server.asked.slice(0, 3)).toEqual([
      { txid: '10', sid: '10' },
      { txid: '20', sid: '20' },
      { txid: '25', sid: '25' },
    ]);
  });

  it('never gathers past its count, nor past its time', async () => {
    const byCount = await gather(
      pageOf(1, 10),
      async (cursor, limit) => pageOf(Number(cursor.sid) + 1, Math.min(limit, 10)),
      { maxEvents: 35, maxMs: 60_000, quietMs: 30 },
      clock,
    );
    expect(byCount.events).toHaveLength(35);
    const start = clock();
    // One event every 10 ms, for ever: only the time bound ends it.
    const byTime = await gather(
      pageOf(1, 1),
      async (cursor) => {
        await new Promise((r) => setTimeout(r, 10));
        return pageOf(Number(cursor.sid) + 1, 1);
      },
      { maxEvents: 1_000_000, maxMs: 200, quietMs: 30 },
      clock,
    );
    expect(clock() - start).toBeGreaterThanOrEqual(200);
    expect(byTime.events.length).toBeGreaterThan(1);
  });

  it('only an arrival that sorts before the last projected event is gathered', () => {
    const store = open(tempDir());
    expect(sortsBeforeProjected(store.db, [event(1, '000000000000001-00000')])).toBe(false);
    const mine = store.append('logbook.entry', { text: 'ici', category: 'information' }, 'test');
    const [l, c] = mine.hlc.split('-').map(Number);
    const at = (dl: number) => `${String((l ?? 0) + dl).padStart(15, '0')}-${String(c ?? 0).padStart(5, '0')}`;
    expect(sortsBeforeProjected(store.db, [event(1, at(-1000))])).toBe(true);
    expect(sortsBeforeProjected(store.db, [event(1, at(1000))])).toBe(false);
    expect(sortsBeforeProjected(store.db, [event(1, at(1000)), event(2, at(-1))])).toBe(true);
  });
});
