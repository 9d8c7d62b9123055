import type { Migration } from '../../store/types.js';
import { migration as m0001 } from './0001_logbook_entries.js';
import { migration as m0002 } from './0002_logbook.js';
import { migration as m0003 } from './0003_logbook_order.js';
import { migration as m0004 } from './0004_fts_merge_off_append.js';
import { migration as m0005 } from './0005_roster.js';
import { migration as m0006 } from './0006_fts_hashsize.js';
import { migration as m0007 } from './0007_lean_indexes.js';

/**
 * The logbook module's migrations, in order (versions of module `logbook` in the store's
 * `schema_versions`; store/README.md "Migrations"). Add one line per new file; the store refuses gaps
 * and disorder at every open. Never edit a released migration: add one.
 */
export const migrations: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007];
