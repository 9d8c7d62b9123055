import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrate } from './migrate.js';
import { additions, breakingChanges, describeSchema, type SchemaShape } from './schema.js';
import { testSchemas } from './testing.js';

/**
 * Schema snapshot (README "Migrations": only additive change). The snapshot is the schema produced by
 * the store's and every module's migrations; a migration that drops or alters anything recorded here fails this test (except a
 * plain index: schema.ts `isPlainIndex`). After an
 * additive migration, refresh it with: UPDATE_SCHEMA_SNAPSHOT=1 npx vitest run electron/core/store/schema.test.ts
 */
const snapshotPath = join(dirname(fileURLToPath(import.meta.url)), 'schema.snapshot.json');

const currentSchema = (): SchemaShape => {
  const db = new Database(':memory:');
  try {
    migrate(db, ':memory:', testSchemas());
    return describeSchema(db);
  } finally {
    db.close();
  }
};

describe('schema snapshot', () => {
  it('only grows: every table, column, index and trigger of the snapshot is still there, unchanged', () => {
    const current = currentSchema();
    if (process.env['UPDATE_SCHEMA_SNAPSHOT'] === '1' || !existsSync(snapshotPath)) {
      const previous = existsSync(snapshotPath)
        ? (JSON.parse(readFileSync(snapshotPath, 'utf8')) as SchemaShape)
        : undefined;
      if (previous !== undefined) expect(breakingChanges(previous, current)).toEqual([]);
      writeFileSync(snapshotPath, `${JSON.stringify(current, null, 2)}\n`);
    }
    const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8')) as SchemaShape;
    expect(breakingChanges(snapshot, current)).toEqual([]);
    const added = additions(snapshot, current);
    if (added.length > 0) {
      console.info(
        `schéma : ajouts non encore dans schema.snapshot.json (UPDATE_SCHEMA_SNAPSHOT=1 pour les enregistrer) : ${added.join(', ')}`,
      );
    }
  });

  it('the guard itself catches a dropped column, a changed type, a dropped trigger, and accepts additions', () => {
    const base = `
      CREATE TABLE t (a TEXT NOT NULL, b INTEGER, c TEXT) STRICT;
      CREATE INDEX t_a ON t (a);
      CREATE TRIGGER t_no_delete BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'non'); END;
    `;
    const shape = (sql: string): SchemaShape => {
      const db = new Database(':memory:');
      try {
        db.exec(sql);
        return describeSchema(db);
      } finally {
        db.close();
      }
    };
    const before = shape(base);
    const after = shape(`${base}
      ALTER TABLE t DROP COLUMN c;
      DROP TRIGGER t_no_delete;
      CREATE TABLE later_feature (x INTEGER) STRICT;
      ALTER TABLE t ADD COLUMN extra TEXT;
    `);
    expect(breakingChanges(before, after)).toEqual(['colonne t.c supprimée', 'triggers t_no_delete supprimé']);
    expect(additions(before, after)).toEqual(['table later_feature', 'colonne t.extra']);
    expect(breakingChanges(before, shape(base.replace('b INTEGER', 'b TEXT')))).toEqual([
      expect.stringContaining('colonne t.b modifiée'),
    ]);
    expect(breakingChanges(before, shape(base.replace('ON t (a)', 'ON t (b)')))).toEqual([
      expect.stringContaining('indexes t_a modifié'),
    ]);
    expect(breakingChanges(before, shape(`${base} CREATE INDEX t_b ON t (b);`))).toEqual([]);
    // A plain index may go (it holds neither data nor a constraint); a UNIQUE one may not.
    expect(breakingChanges(before, shape(`${base} DROP INDEX t_a;`))).toEqual([]);
    const unique = base.replace('CREATE INDEX t_a', 'CREATE UNIQUE INDEX t_a');
    expect(breakingChanges(shape(unique), shape(`${unique} DROP INDEX t_a;`))).toEqual(['indexes t_a supprimé']);
  });
});
