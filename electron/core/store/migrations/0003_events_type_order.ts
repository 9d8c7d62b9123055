import type { Migration } from '../types.js';

/**
 * The log by event type, each type in projection order (HLC, origin, seq). A projection replayed whole for
 * a remote batch that sorts before what is projected reads only its own types up to that batch
 * (replay.ts `walk`): with events_hlc_order alone that read visits every event of the log to test its
 * type — most of them main courante entries nobody replayed asked for — 0.6 s at 1 M events with the
 * main process held. With this index each type is a range, read in order and merged.
 */
export const migration: Migration = {
  version: 3,
  name: 'events_type_order',
  up(db) {
    db.exec('CREATE INDEX events_type_order ON events (type, hlc, origin, seq)');
  },
};
