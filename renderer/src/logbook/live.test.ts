import { describe, expect, it } from 'vitest';
import type { LogbookEntry } from '../../../electron/contract/index.js';
import { appendPage, placeLive, placeNewestFirst } from './live.js';

const entry = (id: string, writtenAt: string, text = id): LogbookEntry => ({
  id,
  origin: id.startsWith('a') ? 'origine-a' : 'origine-b',
  position: id.startsWith('a') ? 'POSTE-A' : 'POSTE-B',
  day: writtenAt.slice(0, 10),
  number: 1,
  reference: `${writtenAt.slice(0, 10)} n° 1`,
  writtenAt,
  factAt: writtenAt,
  late: false,
  author: 'Marie Wamytan',
  role: null,
  category: 'information',
  important: false,
  text,
  kind: 'entry',
  operationId: null,
  callId: null,
  shiftId: null,
  corrects: null,
  correctsReference: null,
  correctedBy: [],
  eventHash: '0'.repeat(64),
});

const ids = (entries: readonly LogbookEntry[]): string[] => entries.map((e) => e.id);

// Newest first, as logbook.list gives them.
const shown = [
  entry('b3', '2026-12-03T10:05:00.000Z'),
  entry('b2', '2026-12-03T10:03:00.000Z'),
  entry('b1', '2026-12-03T10:01:00.000Z'),
];

describe('a live entry in the list on screen', () => {
  it('a new local entry goes on top, even written in the same millisecond as the newest', () => {
    expect(ids(placeLive(shown, entry('b4', '2026-12-03T10:06:00.000Z'), false))).toEqual(['b4', 'b3', 'b2', 'b1']);
    expect(ids(placeLive(shown, entry('b4', '2026-12-03T10:05:00.000Z'), false))).toEqual(['b4', 'b3', 'b2', 'b1']);
  });

  it('an entry written elsewhere during a cut goes where its time puts it, not on top', () => {
    expect(ids(placeLive(shown, entry('a1', '2026-12-03T10:02:00.000Z'), false))).toEqual(['b3', 'b2', 'a1', 'b1']);
  });

  it('older than everything shown: last when the list is complete, else left to the next page', () => {
    const old = entry('a0', '2026-12-03T09:00:00.000Z');
    expect(ids(placeLive(shown, old, false))).toEqual(['b3', 'b2', 'b1', 'a0']);
    expect(placeLive(shown, old, true)).toBe(shown);
  });

  it('an entry already shown (a correction, a link) is replaced in place', () => {
    const corrected = entry('b2', '2026-12-03T10:03:00.000Z', 'b2 corrigée');
    const after = placeLive(shown, corrected, true);
    expect(ids(after)).toEqual(['b3', 'b2', 'b1']);
    expect(after[1]?.text).toBe('b2 corrigée');
  });
});

describe('the next page', () => {
  it('shows nothing twice when replicated entries renumbered those already shown', () => {
    const page = [entry('b1', '2026-12-03T10:01:00.000Z'), entry('a0', '2026-12-03T09:00:00.000Z')];
    expect(ids(appendPage(shown, page))).toEqual(['b3', 'b2', 'b1', 'a0']);
  });
});

describe('an operation in the list on screen', () => {
  it('goes by the time it was opened, and replaces itself when it closes', () => {
    const ops = [
      { operationId: 'op-2', createdAt: '2026-12-03T10:00:00.000Z', status: 'ouverte' },
      { operationId: 'op-1', createdAt: '2026-12-03T08:00:00.000Z', status: 'ouverte' },
    ];
    const place = (op: (typeof ops)[number]) =>
      placeNewestFirst(
        ops,
        op,
        (a, b) => a.operationId === b.operationId,
        (o) => o.createdAt,
      ).map((o) => `${o.operationId} ${o.status}`);
    expect(place({ operationId: 'op-3', createdAt: '2026-12-03T09:00:00.000Z', status: 'ouverte' })).toEqual([
      'op-2 ouverte',
      'op-3 ouverte',
      'op-1 ouverte',
    ]);
    expect(place({ operationId: 'op-1', createdAt: '2026-12-03T08:00:00.000Z', status: 'close' })).toEqual([
      'op-2 ouverte',
      'op-1 close',
    ]);
  });
});
