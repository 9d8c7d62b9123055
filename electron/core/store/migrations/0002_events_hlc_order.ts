import type { Migration } from '../types.js';

/**
 * The order in which projections are computed (docs/architecture.md, "Conflicts by construction"): events
 * by HLC, then origin, then seq. This index lets a rebuild page through the log in that order and lets
 * `applyRemote` find at once whether an event already projected sorts after a received one.
 */
export const migration: Migration = {
  version: 2,
  name: 'events_hlc_order',
  up(db) {
    db.exec('CREATE INDEX events_hlc_order ON events (hlc, origin, seq)');
  },
};
