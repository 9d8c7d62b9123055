import type Database from 'better-sqlite3';

/**
 * A comparable description of a database schema, for the snapshot test that allows only additive
 * change (new tables, columns, indexes, triggers): anything existing code or data relies on must stay.
 */
export interface ColumnShape {
  type: string;
  notnull: number;
  dflt: string | null;
  pk: number;
}
export interface SchemaShape {
  tables: Record<string, Record<string, ColumnShape>>;
  /** Index, trigger and view definitions (whitespace-normalised SQL), by name. */
  indexes: Record<string, string>;
  triggers: Record<string, string>;
  views: Record<string, string>;
}

const squash = (sql: string | null): string => (sql ?? '').replace(/\s+/g, ' ').trim();

export const describeSchema = (db: Database.Database): SchemaShape => {
  const shape: SchemaShape = { tables: {}, indexes: {}, triggers: {}, views: {} };
  const objects = db
    .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .all() as { type: string; name: string; sql: string | null }[];
  for (const o of objects) {
    if (o.type === 'table') {
      const columns = db
        .prepare('SELECT name, type, "notnull", dflt_value AS dflt, pk FROM pragma_table_xinfo(?)')
        .all(o.name) as ({
        name: string;
      } & ColumnShape)[];
      shape.tables[o.name] = Object.fromEntries(columns.map(({ name, ...c }) => [name, c]));
    } else if (o.type === 'index') shape.indexes[o.name] = squash(o.sql);
    else if (o.type === 'trigger') shape.triggers[o.name] = squash(o.sql);
    else if (o.type === 'view') shape.views[o.name] = squash(o.sql);
  }
  return shape;
};

/**
 * A plain (not UNIQUE) index holds no data and no constraint: dropping it loses nothing a rebuild would not
 * give back, and only makes some reads slower, which the benchmarks measure. It is the one removal allowed.
 */
const isPlainIndex = (sql: string): boolean => /^CREATE\s+INDEX\b/i.test(sql);

/** Non-additive differences from `before` to `after` (empty: the change is additive or none). */
export const breakingChanges = (before: SchemaShape, after: SchemaShape): string[] => {
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(before.tables)) {
    const now = after.tables[table];
    if (now === undefined) {
      problems.push(`table ${table} supprimée`);
      continue;
    }
    for (const [column, shape] of Object.entries(columns)) {
      const current = now[column];
      if (current === undefined) problems.push(`colonne ${table}.${column} supprimée`);
      else if (JSON.stringify(current) !== JSON.stringify(shape)) {
        problems.push(`colonne ${table}.${column} modifiée : ${JSON.stringify(shape)} → ${JSON.stringify(current)}`);
      }
    }
  }
  for (const kind of ['indexes', 'triggers', 'views'] as const) {
    for (const [name, sql] of Object.entries(before[kind])) {
      const current = after[kind][name];
      if (current === undefined) {
        if (kind !== 'indexes' || !isPlainIndex(sql)) problems.push(`${kind} ${name} supprimé`);
      } else if (current !== sql) problems.push(`${kind} ${name} modifié : ${sql} → ${current}`);
    }
  }
  return problems;
};

/** Additions from `before` to `after`, listed so that a test can ask for the snapshot to be refreshed. */
export const additions = (before: SchemaShape, after: SchemaShape): string[] => {
  const added: string[] = [];
  for (const [table, columns] of Object.entries(after.tables)) {
    const old = before.tables[table];
    if (old === undefined) added.push(`table ${table}`);
    else
      for (const column of Object.keys(columns))
        if (old[column] === undefined) added.push(`colonne ${table}.${column}`);
  }
  for (const kind of ['indexes', 'triggers', 'views'] as const) {
    for (const name of Object.keys(after[kind])) if (before[kind][name] === undefined) added.push(`${kind} ${name}`);
  }
  return added;
};
