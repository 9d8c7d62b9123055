import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';

/**
 * How a file records its schema versions (README "Migrations").
 *
 * - Per-module layout (this code): `PRAGMA user_version` = LAYOUT_VERSION, and the version of each
 *   module's schema — the store's own under the name `store` — is a row of `schema_versions`.
 * - Single-registry layout (Vigie up to commit 869c24c): one list of migrations for every table, whose
 *   step n set `user_version` = n (1–6), no `schema_versions`. LEGACY_STEPS says which module each step
 *   now belongs to; such a file is upgraded in place at open, without touching an event.
 *
 * LAYOUT_VERSION follows the last single-registry step so that a Vigie of that era refuses an upgraded
 * file as "written by a newer version", untouched, instead of re-running its own migrations on it.
 */
export const KERNEL_MODULE = 'store';
const LEGACY_STEPS: readonly { module: string; version: number }[] = [
  { module: KERNEL_MODULE, version: 1 }, // 0001 events
  { module: 'logbook', version: 1 }, // 0002 logbook_entries
  { module: 'calls', version: 1 }, // 0003 calls
  { module: 'logbook', version: 2 }, // 0004 logbook
  { module: 'logbook', version: 3 }, // 0005 logbook_order
  { module: 'logbook', version: 4 }, // 0006 fts_merge_off_append
];
export const LAYOUT_VERSION = LEGACY_STEPS.length + 1;

export const SCHEMA_VERSIONS_TABLE = `
  CREATE TABLE schema_versions (
    module TEXT PRIMARY KEY,
    version INTEGER NOT NULL CHECK (version >= 1)
  ) STRICT;
`;

/** Module versions of a single-registry file at `userVersion` (1–6), or undefined for any other number. */
export const legacyVersions = (userVersion: number): Map<string, number> | undefined => {
  if (!Number.isInteger(userVersion) || userVersion < 1 || userVersion > LEGACY_STEPS.length) return undefined;
  const versions = new Map<string, number>();
  for (const step of LEGACY_STEPS.slice(0, userVersion)) versions.set(step.module, step.version);
  return versions;
};

export interface FileVersions {
  /** 'fresh': nothing yet (user_version 0); 'legacy': single registry; 'modules': per-module layout. */
  layout: 'fresh' | 'legacy' | 'modules';
  userVersion: number;
  /** Schema version of each module the file records (legacy: mapped through LEGACY_STEPS). */
  versions: Map<string, number>;
}

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;

/** Reads the versions a file records; refuses a newer layout or an inconsistent one, writing nothing. */
export const readFileVersions = (db: Database.Database, file: string): FileVersions => {
  const userVersion = db.pragma('user_version', { simple: true }) as number;
  if (userVersion === 0) return { layout: 'fresh', userVersion, versions: new Map() };
  if (userVersion > LAYOUT_VERSION) {
    throw new StoreError(
      'newer_schema',
      `La base ${file} a été écrite par une version plus récente de Vigie (organisation du schéma ${userVersion}, ` +
        `cette version connaît la ${LAYOUT_VERSION}). Elle n'a pas été modifiée : mettez Vigie à jour sur ce poste.`,
    );
  }
  const withTable = hasTable(db, 'schema_versions');
  if (userVersion === LAYOUT_VERSION && withTable) {
    const rows = db.prepare('SELECT module, version FROM schema_versions').all() as {
      module: string;
      version: number;
    }[];
    return { layout: 'modules', userVersion, versions: new Map(rows.map((r) => [r.module, r.version])) };
  }
  const legacy = withTable ? undefined : legacyVersions(userVersion);
  if (legacy === undefined) {
    throw new StoreError(
      'corrupt',
      `La base ${file} porte un numéro de schéma incohérent (user_version ${userVersion}, table schema_versions ` +
        `${withTable ? 'présente' : 'absente'}). Elle n'a pas été modifiée.`,
    );
  }
  return { layout: 'legacy', userVersion, versions: legacy };
};
