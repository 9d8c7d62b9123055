/**
 * The `calls` and `callbacks` projections: tables derived from the call events inside the append
 * transaction (tables created by migration 0003). Synchronous, no await (better-sqlite3 transactions).
 * An event about a call this database never saw offered (replication oddity) changes nothing rather
 * than throwing: a projection must accept every event the log accepted.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { parseHlc } from '../store/hlc.js';
import { cachedStatement } from '../store/statements.js';
import type { Projection, StoredEvent } from '../store/types.js';
import { callSchemas, type CallEventType } from './events.js';

/** Outcome code written when the same SIP call was answered at some position after all. */
export const ANSWERED_ELSEWHERE_OUTCOME = { code: 'repondu_ailleurs', label: 'Répondu par un autre poste' } as const;

const isCallEvent = (type: string): type is CallEventType => Object.hasOwn(callSchemas, type);

/** What the calls side reads of a main courante entry: the call it was written during, if any. */
const entryOfCall = z.looseObject({ callId: z.string().min(1).max(64).optional() });

/**
 * An entry written during a call (logbook.entry with a callId) is one of that call's links, as if
 * calls.link had been asked: the call history shows it without asking the logbook module. Kept apart from
 * `call_links` (calls migration 3) and without looking the call up: the rows are the entry's own fields,
 * so they are the same whatever order events of different positions arrive in, and a remote batch
 * that sorts before the log's end is applied here as it comes, never replayed from the first entry.
 */
const linkEntry = (db: Database.Database, event: StoredEvent): void => {
  // Most entries are not written during a call: no schema to run for them.
  if (typeof event.payload !== 'object' || event.payload === null || !Object.hasOwn(event.payload, 'callId')) return;
  const parsed = entryOfCall.safeParse(event.payload);
  const callId = parsed.success ? parsed.data.callId : undefined;
  if (callId === undefined) return;
  cachedStatement(db, 'INSERT OR IGNORE INTO call_entry_links (call_id, entry_id, at, author) VALUES (?, ?, ?, ?)').run(
    callId,
    event.id,
    parseHlc(event.hlc)?.l ?? 0,
    event.author,
  );
};

const apply = (db: Database.Database, event: StoredEvent): void => {
  if (!isCallEvent(event.type)) return;
  // Payloads were validated by the store on append; parse again to get typed values (cheap, bounded).
  switch (event.type) {
    case 'call.offered': {
      const p = callSchemas['call.offered'].parse(event.payload);
      cachedStatement(
        db,
        `INSERT OR IGNORE INTO calls (id, sip_call_id, direction, line_number, line_label, line_priority,
           caller_number, caller_name, state, position, offered_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        p.callId,
        p.sipCallId,
        p.direction,
        p.line.number,
        p.line.label,
        p.line.priority,
        p.caller.number,
        p.caller.name,
        p.direction === 'in' ? 'ringing' : 'dialing',
        event.origin,
        p.at,
      );
      return;
    }
    case 'call.answered': {
      const p = callSchemas['call.answered'].parse(event.payload);
      cachedStatement(
        db,
        `UPDATE calls SET state = 'active', answered_at = ?, operator = ?, wait_ms = max(0, ? - offered_at)
         WHERE id = ? AND state IN ('ringing', 'dialing')`,
      ).run(p.at, event.author, p.at, p.callId);
      // The caller got an operator after all: a callback opened by a position that missed the
      // "answered elsewhere" Reason has nothing left to do.
      cachedStatement(
        db,
        `UPDATE callbacks SET status = 'done', outcome = ?, outcome_label = ?, outcome_at = ?, outcome_by = ?
         WHERE status = 'pending' AND call_id IN (
           SELECT other.id FROM calls AS me JOIN calls AS other ON other.sip_call_id = me.sip_call_id
           WHERE me.id = ? AND me.direction = 'in' AND other.direction = 'in'
             AND abs(other.offered_at - me.offered_at) <= ?)`,
      ).run(
        ANSWERED_ELSEWHERE_OUTCOME.code,
        ANSWERED_ELSEWHERE_OUTCOME.label,
        p.at,
        event.author,
        p.callId,
        SAME_CALL_WINDOW_MS,
      );
      return;
    }
    case 'call.held': {
      const p = callSchemas['call.held'].parse(event.payload);
      cachedStatement(
        db,
        `UPDATE calls SET state = 'held', hold_count = hold_count + 1 WHERE id = ? AND state = 'active'`,
      ).run(p.callId);
      return;
    }
    case 'call.resumed': {
      const p = callSchemas['call.resumed'].parse(event.payload);
      cachedStatement(db, `UPDATE calls SET state = 'active' WHERE id = ? AND state = 'held'`).run(p.callId);
      return;
    }
    case 'call.transferred': {
      const p = callSchemas['call.transferred'].parse(event.payload);
      cachedStatement(db, `UPDATE calls SET transferred_to = ?, transfer_mode = ? WHERE id = ?`).run(
        p.target,
        p.mode,
        p.callId,
      );
      return;
    }
    case 'call.ended': {
      const p = callSchemas['call.ended'].parse(event.payload);
      const info = cachedStatement(
        db,

        `UPDATE calls SET state = 'ended', cause = ?, sip_code = ?, ended_at = ?, end_detail = ?,
             wait_ms = coalesce(wait_ms, max(0, ? - offered_at)),
             talk_ms = CASE WHEN answered_at IS NULL THEN NULL ELSE max(0, ? - answered_at) END
           WHERE id = ? AND state <> 'ended'`,
      ).run(p.cause, p.sipCode ?? null, p.at, p.detail ?? null, p.at, p.at, p.callId);
      if (info.changes === 1 && p.cause === 'abandoned') createCallback(db, p.callId, p.at, event.author);
      return;
    }
    case 'call.qualified': {
      const p = callSchemas['call.qualified'].parse(event.payload);
      cachedStatement(db, `UPDATE calls SET qualification = ?, qualification_label = ? WHERE id = ?`).run(
        p.code,
        p.label,
        p.callId,
      );
      return;
    }
    case 'call.noted': {
      const p = callSchemas['call.noted'].parse(event.payload);
      if (!callExists(db, p.callId)) return;
      cachedStatement(
        db,
        `INSERT OR IGNORE INTO call_notes (event_id, call_id, at, author, text) VALUES (?, ?, ?, ?, ?)`,
      ).run(event.id, p.callId, p.at, event.author, p.text);
      return;
    }
    case 'call.linked': {
      const p = callSchemas['call.linked'].parse(event.payload);
      if (!callExists(db, p.callId)) return;
      cachedStatement(
        db,
        `INSERT OR IGNORE INTO call_links (call_id, kind, target_id, at, author) VALUES (?, ?, ?, ?, ?)`,
      ).run(p.callId, p.kind, p.targetId, p.at, event.author);
      return;
    }
    case 'callback.outcome': {
      const p = callSchemas['callback.outcome'].parse(event.payload);
      const info = cachedStatement(
        db,

        `UPDATE callbacks SET attempts = attempts + 1, outcome = ?, outcome_label = ?, outcome_at = ?, outcome_by = ?,
             status = CASE WHEN ? THEN 'done' ELSE status END
           WHERE id = ?`,
      ).run(p.code, p.label, p.at, event.author, p.closes ? 1 : 0, p.callbackId);
      if (info.changes === 1) {
        cachedStatement(
          db,
          `INSERT OR IGNORE INTO callback_attempts (event_id, callback_id, code, label, note, at, author) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(event.id, p.callbackId, p.code, p.label, p.note ?? null, p.at, event.author);
      }
      return;
    }
  }
};

const callExists = (db: Database.Database, callId: string): boolean =>
  cachedStatement(db, `SELECT 1 FROM calls WHERE id = ?`).get(callId) !== undefined;

/**
 * Records of the same SIP call at several positions share its Call-ID and were offered within seconds of
 * each other. The window keeps a Call-ID reused much later (SIPp derives it from its pid; RFC 3261
 * §8.1.1.4 wants it unique, not every device complies) from being taken for the same call.
 */
const SAME_CALL_WINDOW_MS = 10 * 60_000;

/**
 * One callback per abandoned incoming SIP call: replicated "abandoned" records of the same call (same
 * Call-ID, offered within the window) make one callback, not one per position.
 */
const createCallback = (db: Database.Database, callId: string, at: number, author: string): void => {
  const call = cachedStatement(
    db,

    `SELECT sip_call_id, offered_at, caller_number, caller_name, line_label, direction FROM calls WHERE id = ?`,
  ).get(callId) as
    | {
        sip_call_id: string;
        offered_at: number;
        caller_number: string;
        caller_name: string | null;
        line_label: string;
        direction: string;
      }
    | undefined;
  if (call === undefined || call.direction !== 'in') return;
  const sameCall = `FROM calls WHERE sip_call_id = ? AND direction = 'in' AND abs(offered_at - ?) <= ?`;
  const already =
    cachedStatement(db, `SELECT 1 FROM callbacks WHERE call_id IN (SELECT id ${sameCall})`).get(
      call.sip_call_id,
      call.offered_at,
      SAME_CALL_WINDOW_MS,
    ) !== undefined;
  if (already) return;
  const answered =
    cachedStatement(db, `SELECT 1 ${sameCall} AND answered_at IS NOT NULL`).get(
      call.sip_call_id,
      call.offered_at,
      SAME_CALL_WINDOW_MS,
    ) !== undefined;
  // callbacks.sip_call_id is UNIQUE (migration 0003): a reused Call-ID gets a key of its own.
  const keyTaken =
    cachedStatement(db, `SELECT 1 FROM callbacks WHERE sip_call_id = ?`).get(call.sip_call_id) !== undefined;
  cachedStatement(
    db,
    `INSERT OR IGNORE INTO callbacks (id, call_id, sip_call_id, number, name, line_label, created_at, status,
       outcome, outcome_label, outcome_at, outcome_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    callId,
    callId,
    keyTaken ? `${call.sip_call_id}#${callId}` : call.sip_call_id,
    call.caller_number,
    call.caller_name,
    call.line_label,
    at,
    answered ? 'done' : 'pending',
    answered ? ANSWERED_ELSEWHERE_OUTCOME.code : null,
    answered ? ANSWERED_ELSEWHERE_OUTCOME.label : null,
    answered ? at : null,
    answered ? author : null,
  );
};

export const callsProjection: Projection = {
  name: 'calls',
  // Emptied by rebuild in this order (children first).
  tables: ['callback_attempts', 'callbacks', 'call_links', 'call_notes', 'calls'],
  apply,
  eventTypes: Object.keys(callSchemas),
};

export const entryLinksProjection: Projection = {
  name: 'call_entry_links',
  tables: ['call_entry_links'],
  apply: linkEntry,
  eventTypes: ['logbook.entry'],
  order: 'any',
};

export const projections: readonly Projection[] = [callsProjection, entryLinksProjection];
