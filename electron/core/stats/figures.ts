/**
 * Call-handling figures (docs/architecture.md, "Modules"): pure functions over rows of the call log, so that
 * the supervisor view, the handover, drill reports and the CSV all give the same numbers for the same calls.
 *
 * Definitions, written once:
 * - A call is "presented" when it rang at the switchboard: an incoming call that is no longer ringing. With
 *   replication every position of the room holds a row for a call that rang at all of them: rows of one SIP
 *   call (same Call-ID, offered within ROOM_CALL_WINDOW_MS) are one call, the answered row standing for it.
 * - Answer time = answered_at − offered_at. The NENA-STA-020 service levels (90 % within 15 s, 95 % within
 *   20 s) and NFPA 1225's 10 s are shares of the calls presented, abandoned ones included: a call the caller
 *   gave up on was not answered within anything.
 * - Abandoned = ended before an answer by the caller (`abandoned`, or `caller_hangup` with no answer).
 * - Time to call back = first callback attempt (or outcome) − the abandon, for callbacks created in range.
 */
import type { StatsFigures, StatsGroupRow } from '../../contract/stats.js';
import { ZONE } from '../clock.js';

export interface FigureCall {
  sipCallId: string;
  direction: 'in' | 'out';
  lineLabel: string;
  operator: string | null;
  offeredAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  cause: string | null;
  state: string;
}

export interface FigureCallback {
  createdAt: number;
  firstActionAt: number | null;
}

/** The answer-time thresholds, in seconds: NFPA 1225 (10 s) and NENA-STA-020 (15 s, 20 s). */
export const SERVICE_LEVEL_SECONDS = [10, 15, 20] as const;
/** Buckets of the answer-time distribution, upper bounds in seconds; the last one is open. */
export const ANSWER_BUCKETS_SECONDS = [5, 10, 15, 20, 30, 60] as const;

const hourFormatter = new Intl.DateTimeFormat('fr-FR', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' });

/** The local hour (Pacific/Noumea) of an instant, "00" to "23". */
export const localHour = (ms: number): string =>
  (hourFormatter.formatToParts(new Date(ms)).find((part) => part.type === 'hour')?.value ?? '').padStart(2, '0');

/** A Call-ID seen again after this long is another call (the callbacks projection uses the same idea). */
export const ROOM_CALL_WINDOW_MS = 10 * 60 * 1000;

const isPresented = (call: FigureCall): boolean => call.direction === 'in' && call.state !== 'ringing';

/** One row per call of the room: the answered row if any, else the first one offered. */
export const roomCalls = (calls: readonly FigureCall[]): FigureCall[] => {
  const groups: FigureCall[][] = [];
  const open = new Map<string, FigureCall[]>();
  for (const call of [...calls].sort((a, b) => a.offeredAt - b.offeredAt)) {
    const group = open.get(call.sipCallId);
    const first = group?.[0];
    if (group !== undefined && first !== undefined && call.offeredAt - first.offeredAt <= ROOM_CALL_WINDOW_MS) {
      group.push(call);
    } else {
      const fresh = [call];
      open.set(call.sipCallId, fresh);
      groups.push(fresh);
    }
  }
  return groups.flatMap((group) => {
    const chosen = group.find((call) => call.answeredAt !== null) ?? group[0];
    // Answered at a position whose rows this log does not hold: its figures belong to that position.
    return chosen === undefined || chosen.cause === 'answered_elsewhere' ? [] : [chosen];
  });
};

const isAbandoned = (call: FigureCall): boolean =>
  call.answeredAt === null && (call.cause === 'abandoned' || call.cause === 'caller_hangup');

const percent = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10;

/** Nearest-rank percentile (no interpolation): the value a supervisor can find in the list. */
export const percentile = (sorted: readonly number[], p: number): number | null => {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
};

const median = (values: readonly number[]): number | null =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

const groupBy = (calls: readonly FigureCall[], key: (call: FigureCall) => string): StatsGroupRow[] => {
  const groups = new Map<string, { presented: number; answered: number; abandoned: number; waits: number[] }>();
  for (const call of calls) {
    const name = key(call);
    const group = groups.get(name) ?? { presented: 0, answered: 0, abandoned: 0, waits: [] };
    group.presented += 1;
    if (call.answeredAt !== null) {
      group.answered += 1;
      group.waits.push(call.answeredAt - call.offeredAt);
    } else if (isAbandoned(call)) group.abandoned += 1;
    groups.set(name, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'fr'))
    .map(([name, group]) => ({
      key: name,
      presented: group.presented,
      answered: group.answered,
      abandoned: group.abandoned,
      medianAnswerMs: median(group.waits),
    }));
};

export const computeFigures = (
  range: { from: number; to: number },
  calls: readonly FigureCall[],
  callbacks: readonly FigureCallback[],
): StatsFigures => {
  const presented = roomCalls(calls).filter(isPresented);
  const answered = presented.filter((call) => call.answeredAt !== null);
  const waits = answered.map((call) => (call.answeredAt ?? call.offeredAt) - call.offeredAt).sort((a, b) => a - b);
  const abandoned = presented.filter(isAbandoned).length;
  const within = SERVICE_LEVEL_SECONDS.map((seconds) => {
    const count = waits.filter((ms) => ms <= seconds * 1000).length;
    return { seconds, count, percent: percent(count, presented.length) };
  });
  // Buckets are (lower, upper] seconds; the first one also holds a wait of 0 ms.
  const bounds: number[] = [0, ...ANSWER_BUCKETS_SECONDS];
  const distribution = bounds.map((lower, index) => {
    const upper = bounds[index + 1] ?? null;
    const inBucket = (ms: number): boolean =>
      (index === 0 ? ms >= 0 : ms > lower * 1000) && (upper === null || ms <= upper * 1000);
    return { fromSeconds: lower, toSeconds: upper, count: waits.filter(inBucket).length };
  });
  const delays = callbacks
    .filter((callback) => callback.firstActionAt !== null)
    .map((callback) => (callback.firstActionAt ?? callback.createdAt) - callback.createdAt)
    .sort((a, b) => a - b);
  return {
    from: range.from,
    to: range.to,
    presented: presented.length,
    answered: answered.length,
    abandoned,
    abandonPercent: percent(abandoned, presented.length),
    outgoing: calls.filter((call) => call.direction === 'out').length,
    answerMs: { median: percentile(waits, 50), p90: percentile(waits, 90), p95: percentile(waits, 95) },
    within,
    distribution,
    callbacks: {
      created: callbacks.length,
      called: delays.length,
      pending: callbacks.length - delays.length,
      medianDelayMs: percentile(delays, 50),
      maxDelayMs: delays.length === 0 ? null : (delays[delays.length - 1] ?? null),
    },
    byLine: groupBy(presented, (call) => call.lineLabel),
    byHour: groupBy(presented, (call) => localHour(call.offeredAt)),
    byOperator: groupBy(answered, (call) => call.operator ?? '—'),
  };
};
