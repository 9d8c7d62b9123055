import type { Migration } from '../../store/types.js';
import { migration as m0001 } from './0001_health.js';
import { migration as m0002 } from './0002_without_rowid.js';

/** The health module's migrations, in order (store/README.md "Migrations"); never edit a released one. */
export const migrations: readonly Migration[] = [m0001, m0002];
