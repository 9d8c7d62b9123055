/**
 * Read side of the call log: typed rows from the `calls` / `callbacks` projections (migration 0003).
 * Feature modules only READ store.db; writes go through append.
 */
import type Database from 'better-sqlite3';
import {
  LOST_IN_OUTAGE_DETAIL,
  type CallbackRecord,
  type CallEndCause,
  type CallRecord,
  type CallStateName,
} from '../../contract/calls.js';

interface CallRow {
  id: string;
  direction: 'in' | 'out';
  line_number: string;
  line_label: string;
  line_priority: number;
  caller_number: string;
  caller_name: string | null;
  state: CallStateName;
  cause: CallEndCause | null;
  position: string;
  operator: string | null;
  offered_at: number;
  answered_at: number | null;
  ended_at: number | null;
  wait_ms: number | null;
  talk_ms: number | null;
  qualification: string | null;
  qualification_label: string | null;
  transferred_to: string | null;
  end_detail: string | null;
}

interface CallbackRow {
  id: string;
  call_id: string;
  number: string;
  name: string | null;
  line_label: string;
  created_at: number;
  status: 'pending' | 'done';
  attempts: number;
  outcome: string | null;
  outcome_label: string | null;
  outcome_at: number | null;
  outcome_by: string | null;
  /** Of the call it was opened for (joined). */
  end_detail: string | null;
}

const toRecord = (db: Database.Database, r: CallRow, withDetails: boolean): CallRecord => ({
  id: r.id,
  direction: r.direction,
  line: { number: r.line_number, label: r.line_label, priority: r.line_priority },
  caller: { number: r.caller_number, name: r.caller_name },
  state: r.state,
  cause: r.cause,
  position: r.position,
  operator: r.operator,
  offeredAt: r.offered_at,
  answeredAt: r.answered_at,
  endedAt: r.ended_at,
  waitMs: r.wait_ms,
  talkMs: r.talk_ms,
  qualification:
    r.qualification === null ? null : { code: r.qualification, label: r.qualification_label ?? r.qualification },
  transferredTo: r.transferred_to,
  endDetail: r.end_detail,
  lostInOutage: r.end_detail === LOST_IN_OUTAGE_DETAIL,
  notes: withDetails
    ? (db
        .prepare(`SELECT at, author, text FROM call_notes WHERE call_id = ? ORDER BY at, event_id`)
        .all(r.id) as CallRecord['notes'])
    : [],
  links: withDetails
    ? (db
        .prepare(
          // The entries written during the call are in their own table (calls migration 3); one that was
          // also linked by hand is listed once, at its first link.
          `SELECT kind, targetId FROM (
             SELECT kind, target_id AS targetId, at FROM call_links WHERE call_id = ?
             UNION ALL SELECT 'entry', entry_id, at FROM call_entry_links WHERE call_id = ?)
           GROUP BY kind, targetId ORDER BY min(at), kind, targetId`,
        )
        .all(r.id, r.id) as CallRecord['links'])
    : [],
});

export interface CallFilters {
  /** The line's number. */
  line?: string;
  qualification?: string;
  cause?: CallEndCause;
  /** Digits the caller's number contains. */
  number?: string;
}

/** Most recent first. `details` adds notes and links (one query each per call). */
export const listCalls = (
  db: Database.Database,
  opts: { limit?: number; before?: number; details?: boolean; order?: 'asc' | 'desc' } & CallFilters = {},
): CallRecord[] => {
  const order = opts.order === 'asc' ? 'ASC' : 'DESC';
  const where = ['offered_at < ?'];
  const params: (string | number)[] = [opts.before ?? Number.MAX_SAFE_INTEGER];
  if (opts.line !== undefined) {
    where.push('line_number = ?');
    params.push(opts.line);
  }
  if (opts.qualification !== undefined) {
    where.push('qualification = ?');
    params.push(opts.qualification);
  }
  if (opts.cause !== undefined) {
    where.push('cause = ?');
    params.push(opts.cause);
  }
  const digits = opts.number?.replace(/\D+/g, '') ?? '';
  if (digits !== '') {
    // instr, not LIKE: the digits are literal (https://sqlite.org/lang_corefunc.html#instr); the number's own
    // spaces, dots and dashes are left out as the operator's are.
    where.push(`instr(replace(replace(replace(caller_number, ' ', ''), '.', ''), '-', ''), ?) > 0`);
    params.push(digits);
  }
  const rows = db
    .prepare(`SELECT * FROM calls WHERE ${where.join(' AND ')} ORDER BY offered_at ${order}, id ${order} LIMIT ?`)
    .all(...params, opts.limit ?? -1) as CallRow[];
  return rows.map((r) => toRecord(db, r, opts.details ?? true));
};

export const getCall = (db: Database.Database, id: string): CallRecord | undefined => {
  const row = db.prepare(`SELECT * FROM calls WHERE id = ?`).get(id) as CallRow | undefined;
  return row === undefined ? undefined : toRecord(db, row, true);
};

/** Streams every call, oldest first, without details: for `vigie calls` on large logs. */
export function* iterateCalls(db: Database.Database): Generator<CallRecord> {
  for (const row of db.prepare(`SELECT * FROM calls ORDER BY offered_at, id`).iterate() as IterableIterator<CallRow>) {
    yield toRecord(db, row, false);
  }
}

/** A callback and the end detail of its call (the callbacks table does not copy it). */
const CALLBACK_ROWS = `SELECT callbacks.*, calls.end_detail FROM callbacks LEFT JOIN calls ON calls.id = callbacks.call_id`;

const toCallback = (r: CallbackRow): CallbackRecord => ({
  id: r.id,
  callId: r.call_id,
  number: r.number,
  name: r.name,
  line: r.line_label,
  createdAt: r.created_at,
  status: r.status,
  attempts: r.attempts,
  lostInOutage: r.end_detail === LOST_IN_OUTAGE_DETAIL,
  outcome:
    r.outcome === null
      ? null
      : { code: r.outcome, label: r.outcome_label ?? r.outcome, at: r.outcome_at ?? 0, by: r.outcome_by ?? '' },
});

/** Pending ones oldest first (the order to call back); others most recent first. */
export const listCallbacks = (
  db: Database.Database,
  opts: { status?: 'pending' | 'done' | 'all'; limit?: number } = {},
): CallbackRecord[] => {
  const status = opts.status ?? 'pending';
  const rows = (
    status === 'all'
      ? db.prepare(`${CALLBACK_ROWS} ORDER BY created_at DESC LIMIT ?`).all(opts.limit ?? -1)
      : db
          .prepare(
            `${CALLBACK_ROWS} WHERE status = ? ORDER BY created_at ${status === 'pending' ? 'ASC' : 'DESC'} LIMIT ?`,
          )
          .all(status, opts.limit ?? -1)
  ) as CallbackRow[];
  return rows.map(toCallback);
};

export const getCallback = (db: Database.Database, id: string): CallbackRecord | undefined => {
  const row = db.prepare(`${CALLBACK_ROWS} WHERE callbacks.id = ?`).get(id) as CallbackRow | undefined;
  return row === undefined ? undefined : toCallback(row);
};

export const countPendingCallbacks = (db: Database.Database): number =>
  (db.prepare(`SELECT count(*) AS n FROM callbacks WHERE status = 'pending'`).get() as { n: number }).n;

/** Calls linked to a logbook entry, an operation or another call (newest first), for the other side's views. */
export const callsLinkedTo = (
  db: Database.Database,
  kind: 'entry' | 'operation' | 'call',
  targetId: string,
): CallRecord[] => {
  const rows = db
    .prepare(
      `SELECT calls.* FROM calls WHERE calls.id IN (
         SELECT call_id FROM call_links WHERE kind = ? AND target_id = ?
         UNION SELECT call_id FROM call_entry_links WHERE ? = 'entry' AND entry_id = ?)
       ORDER BY calls.offered_at DESC`,
    )
    .all(kind, targetId, kind, targetId) as CallRow[];
  return rows.map((r) => toRecord(db, r, false));
};
