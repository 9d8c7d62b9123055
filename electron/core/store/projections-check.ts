/**
 * The projection half of `vigie verify` (docs/architecture.md, rule 1): every projection table must hold
 * exactly what its events give. The log is replayed, in projection order, into a scratch in-memory database
 * built by the same migrations, and each table is compared with the file's row by row in one stable order
 * (its primary key, else every column); the first row that differs is named. A full-text index cannot be
 * read back row by row (contentless FTS5): its vocabulary (fts5vocab 'row', sqlite.org/fts5.html §7) is
 * compared instead, term by term.
 */
import Database from 'better-sqlite3';
import { headsTotal } from './chain.js';
import { migrate } from './migrate.js';
import { replayFrom } from './replay.js';
import type { ModuleSchema } from './types.js';

export interface ProjectionDifference {
  table: string;
  /** The row named by its key (primary key columns, or every column), as `col=value, …`. */
  row: string;
  /** French, for the technician. */
  message: string;
}

export interface ProjectionReport {
  ok: boolean;
  tables: number;
  rows: number;
  events: number;
  firstDifference?: ProjectionDifference;
}

type Value = string | number | bigint | Buffer | null;

const isVirtual = (db: Database.Database, table: string): boolean =>
  /^CREATE VIRTUAL TABLE/i.test(
    (db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(table) as
      string | undefined) ?? '',
  );

const show = (v: Value | undefined): string =>
  v === undefined
    ? '∅'
    : v === null
      ? 'NULL'
      : Buffer.isBuffer(v)
        ? `x'${v.toString('hex').slice(0, 32)}'`
        : typeof v === 'string'
          ? JSON.stringify(v.slice(0, 80))
          : v.toString();

const same = (a: Value | undefined, b: Value | undefined): boolean =>
  Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : a === b;

/** -1, 0, 1 as SQLite's ORDER BY with BINARY collation would place the two keys (types: NULL < number < text < blob). */
const rank = (v: Value): number =>
  v === null ? 0 : typeof v === 'number' || typeof v === 'bigint' ? 1 : typeof v === 'string' ? 2 : 3;
const compareKey = (a: readonly Value[], b: readonly Value[]): number => {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (rank(x) !== rank(y)) return rank(x) - rank(y);
    if (x === null || y === null) continue;
    if (Buffer.isBuffer(x) && Buffer.isBuffer(y)) {
      const c = Buffer.compare(x, y);
      if (c !== 0) return c;
    } else if (x !== y) {
      // Strings compare by UTF-8 bytes in SQLite; JS compares UTF-16 units: the same for BMP text,
      // and a mismatch in order would only show as a difference, never hide one.
      return x < y ? -1 : 1;
    }
  }
  return 0;
};

interface TableShape {
  columns: string[];
  key: string[];
}

const shapeOf = (db: Database.Database, table: string): TableShape => {
  const info = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; pk: number }[];
  const columns = info.map((c) => c.name);
  const pk = info
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  return { columns, key: pk.length > 0 ? pk : columns };
};

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Row-by-row merge of the file's table with the scratch one, both in key order; the first difference or undefined. */
const compareTable = (
  live: Database.Database,
  scratch: Database.Database,
  table: string,
): { difference?: ProjectionDifference; rows: number } => {
  const { columns, key } = shapeOf(scratch, table);
  const sql = `SELECT ${[...key, ...columns].map(quote).join(', ')} FROM ${quote(table)} ORDER BY ${key.map(quote).join(', ')}`;
  const a = (live.prepare(sql).raw().iterate() as IterableIterator<Value[]>)[Symbol.iterator]();
  const b = (scratch.prepare(sql).raw().iterate() as IterableIterator<Value[]>)[Symbol.iterator]();
  const named = (row: readonly Value[]): string => key.map((k, i) => `${k}=${show(row[i])}`).join(', ');
  let rows = 0;
  try {
    let x = a.next();
    let y = b.next();
    while (x.done !== true || y.done !== true) {
      if (
        y.done === true ||
        (x.done !== true && compareKey(x.value.slice(0, key.length), y.value.slice(0, key.length)) < 0)
      ) {
        const row = x.value ?? [];
        return {
          rows,
          difference: {
            table,
            row: named(row),
            message: `ligne en trop dans ${table} (${named(row)}) : aucun événement ne la donne`,
          },
        };
      }
      if (x.done === true || compareKey(x.value.slice(0, key.length), y.value.slice(0, key.length)) > 0) {
        const row = y.value;
        return {
          rows,
          difference: {
            table,
            row: named(row),
            message: `ligne absente de ${table} (${named(row)}) alors que les événements la donnent`,
          },
        };
      }
      const l = x.value.slice(key.length);
      const r = y.value.slice(key.length);
      const differs = columns.filter((_, i) => !same(l[i], r[i]));
      if (differs.length > 0) {
        const detail = differs
          .map((c) => `${c} = ${show(l[columns.indexOf(c)])} au lieu de ${show(r[columns.indexOf(c)])}`)
          .join(' ; ');
        return {
          rows,
          difference: {
            table,
            row: named(x.value),
            message: `${table} (${named(x.value)}) diffère de ce que donnent les événements : ${detail}`,
          },
        };
      }
      rows += 1;
      x = a.next();
      y = b.next();
    }
    return { rows };
  } finally {
    a.return?.();
    b.return?.();
  }
};

/** Vocabulary of a contentless FTS5 table, term by term (fts5vocab 'row': term, documents, occurrences). */
const compareFts = (
  live: Database.Database,
  scratch: Database.Database,
  table: string,
): ProjectionDifference | undefined => {
  const vocab = (db: Database.Database): string[] => {
    const name = `temp.vigie_vocab_${table}`;
    db.exec(`DROP TABLE IF EXISTS ${name}; CREATE VIRTUAL TABLE ${name} USING fts5vocab(main, ${quote(table)}, 'row')`);
    try {
      return (db.prepare(`SELECT term, doc, cnt FROM ${name} ORDER BY term`).raw().all() as Value[][]).map((r) =>
        r.join(' '),
      );
    } finally {
      db.exec(`DROP TABLE ${name}`);
    }
  };
  let have: string[];
  try {
    have = vocab(live);
  } catch (error) {
    return {
      table,
      row: '',
      message: `index plein texte ${table} illisible (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const want = vocab(scratch);
  for (let i = 0; i < Math.max(have.length, want.length); i += 1) {
    if (have[i] !== want[i]) {
      return {
        table,
        row: `terme ${have[i]?.split(' ')[0] ?? want[i]?.split(' ')[0] ?? ''}`,
        message: `index plein texte ${table} différent des événements : « ${have[i] ?? '∅'} » au lieu de « ${want[i] ?? '∅'} » (terme, inscriptions, occurrences)`,
      };
    }
  }
  return undefined;
};

/**
 * Replays `db`'s events into a scratch copy of the schema and compares every projection table. Run it inside
 * a read transaction of `db` so that the events and the tables come from one snapshot. `onReplay` as
 * `Store.rebuild`'s progress: the comparison follows its last report.
 */
export const verifyProjections = (
  db: Database.Database,
  modules: readonly ModuleSchema[],
  onReplay?: (done: number, total: number) => void,
): ProjectionReport => {
  const scratch = new Database(':memory:');
  try {
    migrate(scratch, ':memory:', modules);
    const projections = modules.flatMap((m) => m.projections);
    // The chains were checked first: the heads' sum is what the replay reads.
    const total = headsTotal(db);
    const progress = onReplay === undefined ? undefined : (done: number) => onReplay(done, total);
    const events = scratch.transaction(() => replayFrom(db, scratch, projections, undefined, progress))();
    let rows = 0;
    let tables = 0;
    for (const table of projections.flatMap((p) => p.tables)) {
      tables += 1;
      if (isVirtual(scratch, table)) {
        const difference = compareFts(db, scratch, table);
        if (difference !== undefined) return { ok: false, tables, rows, events, firstDifference: difference };
        continue;
      }
      const result = compareTable(db, scratch, table);
      rows += result.rows;
      if (result.difference !== undefined)
        return { ok: false, tables, rows, events, firstDifference: result.difference };
    }
    return { ok: true, tables, rows, events };
  } finally {
    scratch.close();
  }
};
