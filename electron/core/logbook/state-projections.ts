/**
 * Projections of the roster's sessions, the shifts and the operations (their tables only; the entries they
 * write are projections.ts'). Each row is keyed by the event's own ids and written once (INSERT OR IGNORE,
 * UPDATE … WHERE still open), so replaying the log gives the same rows (docs/architecture.md, rule 1).
 */
import type Database from 'better-sqlite3';
import { cachedStatement as stmt } from '../store/statements.js';
import type { StoredEvent } from '../store/types.js';
import {
  operationClosedSchema,
  operationCreatedSchema,
  shiftClosedSchema,
  shiftOpenedSchema,
  signedInSchema,
  signedOutSchema,
  userEnrolledSchema,
  userPinSetSchema,
} from './event-types.js';
import { nameKey } from './names.js';
import { writtenMsOf } from './time.js';

export const applySessions = (db: Database.Database, event: StoredEvent): void => {
  const at = writtenMsOf(event);
  switch (event.type) {
    case 'user.enrolled': {
      const p = userEnrolledSchema.parse(event.payload);
      stmt(db, 'INSERT OR IGNORE INTO users (name_key, name, role, pin_hash, enrolled_ms) VALUES (?, ?, ?, ?, ?)').run(
        nameKey(p.name),
        p.name,
        p.role,
        p.pinHash,
        at,
      );
      return;
    }
    case 'user.pinSet': {
      const p = userPinSetSchema.parse(event.payload);
      stmt(db, 'UPDATE users SET pin_hash = ? WHERE name_key = ? AND pin_hash IS NULL').run(p.pinHash, nameKey(p.name));
      return;
    }
    case 'session.signedIn': {
      const p = signedInSchema.parse(event.payload);
      stmt(
        db,
        'INSERT OR IGNORE INTO sessions (session_id, origin, name, role, position, signed_in_ms, user_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(p.sessionId, event.origin, p.name, p.role, p.position, at, p.userId ?? null);
      return;
    }
    case 'session.signedOut': {
      const p = signedOutSchema.parse(event.payload);
      stmt(db, 'UPDATE sessions SET signed_out_ms = ? WHERE session_id = ? AND signed_out_ms IS NULL').run(
        at,
        p.sessionId,
      );
      return;
    }
    default:
      return;
  }
};

export const applyShifts = (db: Database.Database, event: StoredEvent): void => {
  const at = writtenMsOf(event);
  if (event.type === 'shift.opened') {
    const p = shiftOpenedSchema.parse(event.payload);
    stmt(db, 'INSERT OR IGNORE INTO shifts (shift_id, origin, team, opened_by, opened_ms) VALUES (?, ?, ?, ?, ?)').run(
      p.shiftId,
      event.origin,
      JSON.stringify(p.team),
      event.author,
      at,
    );
  } else if (event.type === 'shift.closed') {
    const p = shiftClosedSchema.parse(event.payload);
    const handover = { consignes: p.consignes, openOperations: p.openOperations, pendingCallbacks: p.pendingCallbacks };
    stmt(
      db,
      'UPDATE shifts SET closed_by = ?, closed_ms = ?, handover = ? WHERE shift_id = ? AND closed_ms IS NULL',
    ).run(event.author, at, JSON.stringify(handover), p.shiftId);
  }
};

export const applyOperations = (db: Database.Database, event: StoredEvent): void => {
  const at = writtenMsOf(event);
  if (event.type === 'operation.created') {
    const p = operationCreatedSchema.parse(event.payload);
    stmt(
      db,
      `INSERT OR IGNORE INTO operations (operation_id, title, type, commune_id, commune, province, status, created_by, created_ms)
       VALUES (?, ?, ?, ?, ?, ?, 'ouverte', ?, ?)`,
    ).run(p.operationId, p.title, p.type, p.communeId, p.commune, p.province, event.author, at);
  } else if (event.type === 'operation.closed') {
    const p = operationClosedSchema.parse(event.payload);
    stmt(
      db,
      `UPDATE operations SET status = 'close', closed_by = ?, closed_ms = ? WHERE operation_id = ? AND status = 'ouverte'`,
    ).run(event.author, at, p.operationId);
  }
};
