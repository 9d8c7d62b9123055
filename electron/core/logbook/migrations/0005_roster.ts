import type { Migration } from '../../store/types.js';
import type { StoredEvent } from '../../store/types.js';
import { applyRoster } from '../roster.js';

/**
 * logbook 5: the roster (electron/core/logbook/roster.ts). Users are created by a chef de salle or a
 * technicien (`user.added`), never by signing in; PIN verifiers are keyed (pin.ts); wrong PINs and
 * locks are counted from `user.signInFailed` events. The two skeleton columns find look-alike names
 * (names.ts, UTS #39 §4) by index.
 *
 * Users enrolled before (`user.enrolled`) are carried over by applying the projection to those events,
 * exactly as a rebuild would: same user id (the enrolment event's), same name and role, no PIN
 * (roster.ts says why). The old `users` table stays, unused, so that the change is additive. A session
 * opened before the upgrade has no user id and is no longer taken as signed in: sign in again.
 */
export const migration: Migration = {
  version: 5,
  name: 'roster',
  up(db) {
    db.exec(`
      CREATE TABLE roster (
        user_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        skeleton_folded TEXT NOT NULL,
        skeleton_exact TEXT NOT NULL,
        role TEXT NOT NULL,
        pin_verifier TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        last_failure_ms INTEGER,
        locked INTEGER NOT NULL DEFAULT 0,
        created_ms INTEGER NOT NULL,
        created_by TEXT NOT NULL
      ) STRICT;
      CREATE INDEX roster_skeleton_folded ON roster (skeleton_folded);
      CREATE INDEX roster_skeleton_exact ON roster (skeleton_exact);
      -- Sessions signed in through the roster name their user; earlier ones (NULL) no longer count as open.
      ALTER TABLE sessions ADD COLUMN user_id TEXT;
    `);
    const rows = db
      .prepare(
        `SELECT origin, seq, id, hlc, type, author, payload, prev_hash AS prevHash, hash FROM events
         WHERE type = 'user.enrolled' ORDER BY rowid`,
      )
      .all() as (Omit<StoredEvent, 'payload'> & { payload: string })[];
    for (const row of rows) applyRoster(db, { ...row, payload: JSON.parse(row.payload) as unknown });
  },
};
