import type { Migration } from '../../store/types.js';
import { migration as m0001 } from './0001_calls.js';
import { migration as m0002 } from './0002_end_detail.js';
import { migration as m0003 } from './0003_entry_links.js';

/**
 * The calls module's migrations, in order (versions of module `calls` in the store's `schema_versions`;
 * store/README.md "Migrations"). Add one line per new file; never edit a released migration.
 */
export const migrations: readonly Migration[] = [m0001, m0002, m0003];
