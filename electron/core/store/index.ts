/** The event store (docs/architecture.md, rules 1–4). See README.md in this folder. */
export * from './types.js';
export { openStore, DEFAULT_MAX_CLOCK_SKEW_MS } from './store.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { openDatabase } from './open.js';
export { databasePath, backupsDir, listBackups } from './paths.js';
export { verifyDatabase, formatFailure } from './verify.js';
export { restoreBackup, rotateBackups, DEFAULT_BACKUP_INTERVAL_MS, DEFAULT_BACKUP_KEEP } from './backup.js';
export { canonicalJson } from './canonical.js';
export { CLOCK_SKEW, STORE_AUTHOR, storeEventTypes, type ClockSkewPayload } from './events.js';
export { formatHlc, parseHlc, compareHlc, type HlcTimestamp } from './hlc.js';
export { KERNEL_MODULE, LAYOUT_VERSION } from './layout.js';
export { schemaVersions } from './migrate.js';
export { eventsAfter } from './remote.js';
export { compareOrder } from './replay.js';
