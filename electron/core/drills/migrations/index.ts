import type { Migration } from '../../store/types.js';
import { migration as m0001 } from './0001_drills.js';

/** The drills module's migrations, in order (store/README.md "Migrations"); never edit a released one. */
export const migrations: readonly Migration[] = [m0001];
