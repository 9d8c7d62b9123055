import { describe, expect, it } from 'vitest';
import { computeFigures, localHour, percentile, roomCalls, type FigureCall } from './figures.js';

const base = Date.parse('2026-12-01T08:00:00+11:00');
let n = 0;
const call = (over: Partial<FigureCall> & { waitS?: number | null }): FigureCall => {
  n += 1;
  const offeredAt = over.offeredAt ?? base + n * 60_000;
  const { waitS, ...rest } = over;
  const answeredAt = waitS === null || waitS === undefined ? null : offeredAt + waitS * 1000;
  return {
    sipCallId: `sip-${n}`,
    direction: 'in',
    lineLabel: 'Pompiers 18',
    operator: answeredAt === null ? null : 'Marie Chef',
    offeredAt,
    answeredAt,
    endedAt: offeredAt + 120_000,
    cause: answeredAt === null ? 'abandoned' : 'operator_hangup',
    state: 'ended',
    ...rest,
  };
};
const range = { from: base, to: base + 12 * 3600_000 };

describe('call-handling figures', () => {
  it('gives the NENA/NFPA service levels as shares of the presented calls, abandons included', () => {
    // 8 answered at 2, 4, 8, 12, 14, 18, 25, 40 s; 2 abandoned.
    const waits = [2, 4, 8, 12, 14, 18, 25, 40];
    const calls = [...waits.map((waitS) => call({ waitS })), call({ waitS: null }), call({ waitS: null })];
    const f = computeFigures(range, calls, []);
    expect(f.presented).toBe(10);
    expect(f.answered).toBe(8);
    expect(f.abandoned).toBe(2);
    expect(f.abandonPercent).toBe(20);
    expect(f.within).toEqual([
      { seconds: 10, count: 3, percent: 30 },
      { seconds: 15, count: 5, percent: 50 },
      { seconds: 20, count: 6, percent: 60 },
    ]);
    expect(f.answerMs.median).toBe(12_000);
    expect(f.answerMs.p95).toBe(40_000);
    expect(f.distribution.map((b) => b.count)).toEqual([2, 1, 2, 1, 1, 1, 0]);
    expect(f.distribution.reduce((sum, b) => sum + b.count, 0)).toBe(f.answered);
  });

  it('counts a call that rang at several positions once, and leaves out one answered at another position', () => {
    const offeredAt = base + 3600_000;
    const rows = [
      call({ sipCallId: 'x', offeredAt, waitS: null, cause: 'answered_elsewhere' }),
      call({ sipCallId: 'x', offeredAt, waitS: 6 }),
      call({ sipCallId: 'x', offeredAt: offeredAt + 1, waitS: null, cause: 'answered_elsewhere' }),
      call({ sipCallId: 'y', offeredAt, waitS: null, cause: 'answered_elsewhere' }),
      // The same Call-ID an hour later is another call.
      call({ sipCallId: 'x', offeredAt: offeredAt + 3600_000, waitS: null }),
    ];
    expect(roomCalls(rows)).toHaveLength(2);
    const f = computeFigures(range, rows, []);
    expect(f).toMatchObject({ presented: 2, answered: 1, abandoned: 1 });
  });

  it('leaves out ringing calls and counts outgoing ones apart', () => {
    const f = computeFigures(
      range,
      [call({ waitS: 3 }), call({ state: 'ringing', waitS: null, cause: null }), call({ direction: 'out', waitS: 1 })],
      [],
    );
    expect(f).toMatchObject({ presented: 1, answered: 1, outgoing: 1 });
  });

  it('groups by line, by local hour (Nouméa) and by operator', () => {
    const f = computeFigures(
      range,
      [
        call({ waitS: 4, lineLabel: '112', offeredAt: Date.parse('2026-12-01T09:10:00+11:00') }),
        call({ waitS: 8, lineLabel: '112', offeredAt: Date.parse('2026-12-01T09:50:00+11:00'), operator: 'Paul' }),
        call({ waitS: null, lineLabel: 'Pompiers 18', offeredAt: Date.parse('2026-12-01T10:05:00+11:00') }),
      ],
      [],
    );
    expect(f.byLine).toEqual([
      { key: '112', presented: 2, answered: 2, abandoned: 0, medianAnswerMs: 4000 },
      { key: 'Pompiers 18', presented: 1, answered: 0, abandoned: 1, medianAnswerMs: null },
    ]);
    expect(f.byHour.map((row) => [row.key, row.presented])).toEqual([
      ['09', 2],
      ['10', 1],
    ]);
    expect(f.byOperator.map((row) => row.key)).toEqual(['Marie Chef', 'Paul']);
  });

  it('measures the time to call back from the abandon to the first attempt', () => {
    const f = computeFigures(
      range,
      [],
      [
        { createdAt: base, firstActionAt: base + 90_000 },
        { createdAt: base, firstActionAt: base + 30_000 },
        { createdAt: base, firstActionAt: null },
      ],
    );
    expect(f.callbacks).toEqual({ created: 3, called: 2, pending: 1, medianDelayMs: 30_000, maxDelayMs: 90_000 });
  });

  it('says "no figure" rather than 0 % when nothing was presented', () => {
    const f = computeFigures(range, [], []);
    expect(f.abandonPercent).toBeNull();
    expect(f.within.every((w) => w.percent === null)).toBe(true);
  });

  it('percentile is nearest-rank, localHour is Nouméa time', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 95)).toBe(4);
    expect(percentile([], 50)).toBeNull();
    expect(localHour(Date.parse('2026-12-01T23:30:00Z'))).toBe('10');
  });
});
