/**
 * Read side of the stats module: the rows of the calls and callbacks projections (calls migration 1) that
 * fall in a range. Read only; the stats module owns no table (docs/architecture.md, "Modules").
 */
import type Database from 'better-sqlite3';
import { MAX_STATS_RANGE_MS } from '../../contract/stats.js';
import { VigieError } from '../../contract/result.js';
import type { FigureCall, FigureCallback } from './figures.js';

/** One shift: the default range when none is given. */
export const DEFAULT_RANGE_MS = 12 * 3600 * 1000;

export const resolveRange = (args: { from?: string; to?: string }, now: number): { from: number; to: number } => {
  const to = args.to === undefined ? now : Date.parse(args.to);
  const from = args.from === undefined ? to - DEFAULT_RANGE_MS : Date.parse(args.from);
  if (from >= to) throw new VigieError('invalid_argument', 'La période est vide : le début doit précéder la fin.');
  if (to - from > MAX_STATS_RANGE_MS) {
    throw new VigieError('invalid_argument', 'Période trop longue : une année au plus.');
  }
  return { from, to };
};

interface CallRow {
  sip_call_id: string;
  direction: 'in' | 'out';
  line_label: string;
  operator: string | null;
  offered_at: number;
  answered_at: number | null;
  ended_at: number | null;
  cause: string | null;
  state: string;
}

interface CallbackRow {
  created_at: number;
  first_action_at: number | null;
}

/** Calls offered in [from, to): a call belongs to the period in which it rang. */
export const callsInRange = (db: Database.Database, range: { from: number; to: number }): FigureCall[] =>
  (
    db
      .prepare(
        `SELECT sip_call_id, direction, line_label, operator, offered_at, answered_at, ended_at, cause, state
         FROM calls WHERE offered_at >= ? AND offered_at < ? ORDER BY offered_at`,
      )
      .all(range.from, range.to) as CallRow[]
  ).map((row) => ({
    sipCallId: row.sip_call_id,
    direction: row.direction,
    lineLabel: row.line_label,
    operator: row.operator,
    offeredAt: row.offered_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    cause: row.cause,
    state: row.state,
  }));

/**
 * Callbacks created in [from, to), with the operator's first attempt. A callback closed because the call was
 * answered at another position has no attempt: it was never called back, and does not count as one.
 */
export const callbacksInRange = (db: Database.Database, range: { from: number; to: number }): FigureCallback[] =>
  (
    db
      .prepare(
        `SELECT c.created_at, (SELECT MIN(a.at) FROM callback_attempts a WHERE a.callback_id = c.id) AS first_action_at
         FROM callbacks c WHERE c.created_at >= ? AND c.created_at < ? ORDER BY c.created_at`,
      )
      .all(range.from, range.to) as CallbackRow[]
  ).map((row) => ({ createdAt: row.created_at, firstActionAt: row.first_action_at }));
