import type Database from 'better-sqlite3';

/** One schema step. `up` runs inside the single transaction that applies all pending migrations. */
export interface Migration {
  /** 1, 2, 3… : equal to the `PRAGMA user_version` the database has once this migration is applied. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}
