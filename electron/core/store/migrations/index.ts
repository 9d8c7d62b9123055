import type { Migration } from '../types.js';
import { migration as m0001 } from './0001_events.js';
import { migration as m0002 } from './0002_events_hlc_order.js';
import { migration as m0003 } from './0003_events_type_order.js';

/**
 * The store's own migrations (the kernel: events, heads, clock, meta), applied before every module's.
 * Recorded as module `store` in `schema_versions` (README "Migrations"). Domain tables never go here:
 * each module has its own registry in its folder.
 */
export const kernelMigrations: readonly Migration[] = [m0001, m0002, m0003];
