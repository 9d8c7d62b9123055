import type { Migration } from './migration.js';
import { migration as m0001 } from './0001_events.js';
import { migration as m0002 } from './0002_logbook_entries.js';
import { migration as m0003 } from './0003_calls.js';
import { migration as m0004 } from './0004_logbook.js';
import { migration as m0005 } from './0005_logbook_order.js';
import { migration as m0006 } from './0006_fts_merge_off_append.js';

export type { Migration } from './migration.js';

/**
 * Every migration, in order. Reserved: 0001–0002 store engineer, 0003 calls + callbacks (calls engineer).
 * Add one line per new file; checkRegistry() refuses gaps and disorder at every open.
 */
export const migrations: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006];
