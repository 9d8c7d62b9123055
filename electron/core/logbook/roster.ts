/**
 * The roster projection (`roster`, migration 0005): who may sign in at the positions, with which role,
 * PIN verifier and lock state, all derived from events so that a rebuild gives the same table.
 *
 * Users enrolled by earlier versions (`user.enrolled`, which stays a valid event) keep their name and
 * role, with the enrolment event's id as their user id; their unkeyed PIN hash is not carried over: it
 * sits in every copy of the log and falls offline in minutes, so it proves nothing. Such a user signs in
 * once a chef de salle or technicien has set a PIN (README "Upgrade"); an opérateur needs none unless
 * vigie.json requires it.
 */
import type Database from 'better-sqlite3';
import { ROLES, type Role } from '../../contract/session.js';
import type { RosterUser } from '../../contract/users.js';
import { parseHlc } from '../store/hlc.js';
import { cachedStatement as stmt } from '../store/statements.js';
import type { Projection, StoredEvent } from '../store/types.js';
import {
  signedInSchema,
  userAddedSchema,
  userEnrolledSchema,
  userPinResetSchema,
  userRoleSetSchema,
  userSignInFailedSchema,
  userUnlockedSchema,
} from './event-types.js';
import { nameSkeletons } from './names.js';

/** Wrong PINs in a row after which a user is locked until unlocked (users.unlock). */
export const MAX_FAILURES = 5;

const insertUser = (
  db: Database.Database,
  user: { userId: string; name: string; role: Role; verifier: string | null; at: number; by: string },
): void => {
  const keys = nameSkeletons(user.name);
  stmt(
    db,
    `INSERT OR IGNORE INTO roster (user_id, name, skeleton_folded, skeleton_exact, role, pin_verifier, created_ms, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(user.userId, user.name, keys.folded, keys.exact, user.role, user.verifier, user.at, user.by);
};

export const applyRoster = (db: Database.Database, event: StoredEvent): void => {
  const at = parseHlc(event.hlc)?.l ?? 0;
  switch (event.type) {
    case 'user.enrolled': {
      const p = userEnrolledSchema.parse(event.payload);
      insertUser(db, { userId: event.id, name: p.name, role: p.role, verifier: null, at, by: event.author });
      return;
    }
    case 'user.added': {
      const p = userAddedSchema.parse(event.payload);
      insertUser(db, { userId: p.userId, name: p.name, role: p.role, verifier: p.pinVerifier, at, by: event.author });
      return;
    }
    case 'user.pinReset': {
      const p = userPinResetSchema.parse(event.payload);
      // A new PIN set by a chef de salle or technicien also ends a lock: they have seen the user.
      stmt(db, 'UPDATE roster SET pin_verifier = ?, failures = 0, locked = 0 WHERE user_id = ?').run(
        p.pinVerifier,
        p.userId,
      );
      return;
    }
    case 'user.roleSet': {
      const p = userRoleSetSchema.parse(event.payload);
      stmt(db, 'UPDATE roster SET role = ? WHERE user_id = ?').run(p.role, p.userId);
      return;
    }
    case 'user.signInFailed': {
      const p = userSignInFailedSchema.parse(event.payload);
      if (p.reason !== 'pin') return;
      stmt(
        db,
        'UPDATE roster SET failures = failures + 1, last_failure_ms = ?, locked = (failures + 1 >= ?) WHERE user_id = ?',
      ).run(at, MAX_FAILURES, p.userId);
      return;
    }
    case 'user.unlocked': {
      const p = userUnlockedSchema.parse(event.payload);
      stmt(db, 'UPDATE roster SET failures = 0, locked = 0 WHERE user_id = ?').run(p.userId);
      return;
    }
    case 'session.signedIn': {
      const p = signedInSchema.parse(event.payload);
      if (p.userId !== undefined) stmt(db, 'UPDATE roster SET failures = 0 WHERE user_id = ?').run(p.userId);
      return;
    }
    default:
      return;
  }
};

export const rosterProjection: Projection = {
  name: 'roster',
  tables: ['roster'],
  apply: applyRoster,
  eventTypes: [
    'user.enrolled',
    'user.added',
    'user.pinReset',
    'user.roleSet',
    'user.signInFailed',
    'user.unlocked',
    'session.signedIn',
  ],
};

export interface RosterRow {
  user_id: string;
  name: string;
  role: Role;
  pin_verifier: string | null;
  failures: number;
  last_failure_ms: number | null;
  locked: number;
}

const COLUMNS = 'user_id, name, role, pin_verifier, failures, last_failure_ms, locked';

export const rosterRow = (db: Database.Database, userId: string): RosterRow | undefined =>
  stmt(db, `SELECT ${COLUMNS} FROM roster WHERE user_id = ?`).get(userId) as RosterRow | undefined;

export const rosterRows = (db: Database.Database): RosterRow[] =>
  stmt(db, `SELECT ${COLUMNS} FROM roster ORDER BY name COLLATE NOCASE, user_id`).all() as RosterRow[];

/** Users whose name a reader could take for `name` (names.ts). */
export const lookAlikes = (db: Database.Database, name: string): RosterRow[] => {
  const keys = nameSkeletons(name);
  return stmt(db, `SELECT ${COLUMNS} FROM roster WHERE skeleton_folded = ? OR skeleton_exact = ?`).all(
    keys.folded,
    keys.exact,
  ) as RosterRow[];
};

/** Chef de salle and technicien always need a PIN; an opérateur when the position's configuration says so. */
export const pinRequired = (role: Role, operatorPinRequired: boolean): boolean =>
  role !== 'operateur' || operatorPinRequired;

export const toRosterUser = (row: RosterRow, operatorPinRequired: boolean): RosterUser => ({
  userId: row.user_id,
  name: row.name,
  role: ROLES.includes(row.role) ? row.role : 'operateur',
  hasPin: row.pin_verifier !== null,
  pinRequired: pinRequired(row.role, operatorPinRequired),
  locked: row.locked !== 0,
  failures: row.failures,
});
