import type { Migration } from '../../store/types.js';

/**
 * calls 1 (was the store's 0003): the calls and callbacks projections (electron/core/calls/projection.ts). Times are ms since
 * epoch (UTC); durations in ms. Frozen once released: later changes go in a new migration.
 */
export const migration: Migration = {
  version: 1,
  name: 'calls',
  up(db) {
    db.exec(`
      CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        sip_call_id TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        line_number TEXT NOT NULL,
        line_label TEXT NOT NULL,
        line_priority INTEGER NOT NULL,
        caller_number TEXT NOT NULL,
        caller_name TEXT,
        state TEXT NOT NULL CHECK (state IN ('ringing', 'dialing', 'active', 'held', 'ended')),
        cause TEXT,
        sip_code INTEGER,
        position TEXT NOT NULL,
        operator TEXT,
        offered_at INTEGER NOT NULL,
        answered_at INTEGER,
        ended_at INTEGER,
        wait_ms INTEGER,
        talk_ms INTEGER,
        hold_count INTEGER NOT NULL DEFAULT 0,
        qualification TEXT,
        qualification_label TEXT,
        transferred_to TEXT,
        transfer_mode TEXT
      ) STRICT;
      CREATE INDEX calls_offered_at ON calls (offered_at);
      CREATE INDEX calls_sip_call_id ON calls (sip_call_id);
      CREATE INDEX calls_live ON calls (state) WHERE state <> 'ended';

      CREATE TABLE call_notes (
        event_id TEXT PRIMARY KEY,
        call_id TEXT NOT NULL REFERENCES calls (id),
        at INTEGER NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL
      ) STRICT;
      CREATE INDEX call_notes_call ON call_notes (call_id, at);

      CREATE TABLE call_links (
        call_id TEXT NOT NULL REFERENCES calls (id),
        kind TEXT NOT NULL CHECK (kind IN ('entry', 'operation', 'call')),
        target_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        author TEXT NOT NULL,
        PRIMARY KEY (call_id, kind, target_id)
      ) STRICT;
      CREATE INDEX call_links_target ON call_links (kind, target_id);

      CREATE TABLE callbacks (
        id TEXT PRIMARY KEY,
        call_id TEXT NOT NULL REFERENCES calls (id),
        sip_call_id TEXT NOT NULL UNIQUE,
        number TEXT NOT NULL,
        name TEXT,
        line_label TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done')),
        attempts INTEGER NOT NULL DEFAULT 0,
        outcome TEXT,
        outcome_label TEXT,
        outcome_at INTEGER,
        outcome_by TEXT
      ) STRICT;
      CREATE INDEX callbacks_pending ON callbacks (created_at) WHERE status = 'pending';

      CREATE TABLE callback_attempts (
        event_id TEXT PRIMARY KEY,
        callback_id TEXT NOT NULL REFERENCES callbacks (id),
        code TEXT NOT NULL,
        label TEXT NOT NULL,
        note TEXT,
        at INTEGER NOT NULL,
        author TEXT NOT NULL
      ) STRICT;
    `);
  },
};
