/**
 * One prepared statement per (connection, SQL text). better-sqlite3 does not cache `db.prepare`, and a
 * projection runs once per event: preparing on every event was half of a rebuild's time. The cache is
 * per connection (a rebuild, a scratch database of `vigie verify`, a test's store each have theirs) and
 * goes away with it.
 */
import type Database from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export const cachedStatement = (db: Database.Database, sql: string): Database.Statement => {
  let bySql = caches.get(db);
  if (bySql === undefined) {
    bySql = new Map();
    caches.set(db, bySql);
  }
  let statement = bySql.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    bySql.set(sql, statement);
  }
  return statement;
};
