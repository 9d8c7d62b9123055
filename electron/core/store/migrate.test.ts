import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreError } from './errors.js';
import { KERNEL_MODULE, LAYOUT_VERSION, legacyVersions } from './layout.js';
import { checkModules, checkRegistry, migrate, schemaVersions, type MigrationRegistry } from './migrate.js';
import { kernelMigrations } from './migrations/index.js';
import { describeSchema } from './schema.js';
import { testSchemas } from './testing.js';
import type { Migration } from './types.js';

const m = (version: number, sql: string): Migration => ({ version, name: `m${version}`, up: (db) => db.exec(sql) });
const mod = (name: string, migrations: readonly Migration[]): MigrationRegistry => ({ name, migrations });
const STORE_TABLES = ['clock', 'events', 'heads', 'meta', 'schema_versions'];
const tables = (db: Database.Database): string[] =>
  (
    db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[]
  ).map((r) => r.name);
const userVersion = (db: Database.Database): unknown => db.pragma('user_version', { simple: true });
const thrown = (fn: () => unknown): StoreError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error('aucune erreur levée');
};

/**
 * A file as the single-registry code (up to 869c24c) left it at `version`: its steps were the store's 0001
 * then the logbook and calls migrations in the order LEGACY_STEPS gives, each setting user_version.
 */
const legacyFile = (version: number): Database.Database => {
  const [logbook, calls] = testSchemas();
  const registry = [
    kernelMigrations[0],
    logbook?.migrations[0],
    calls?.migrations[0],
    logbook?.migrations[1],
    logbook?.migrations[2],
    logbook?.migrations[3],
  ];
  const db = new Database(':memory:');
  for (const step of registry.slice(0, version)) {
    if (step === undefined) throw new Error('registre incomplet');
    step.up(db);
  }
  db.pragma(`user_version = ${version}`);
  return db;
};

/** The store's own schema version: the number of its migrations (store migration 2 added the HLC-order index). */
const STORE_VERSION = kernelMigrations.length;
/** What a file migrated with every real module records. */
const allVersions = (): Record<string, number> =>
  Object.fromEntries([
    [KERNEL_MODULE, STORE_VERSION],
    ...testSchemas()
      .filter((s) => s.migrations.length > 0)
      .map((s) => [s.name, s.migrations.length] as const),
  ]);
const allSteps = (): number => Object.values(allVersions()).reduce((a, b) => a + b, 0);

describe('module registries', () => {
  it('the store kernel and every real module have registries without gaps', () => {
    expect(() => checkRegistry(KERNEL_MODULE, kernelMigrations)).not.toThrow();
    expect(kernelMigrations[0]?.name).toBe('events');
    expect(() => checkModules(testSchemas())).not.toThrow();
  });

  it('refuses a gap or disorder in a registry, naming the module', () => {
    expect(() => checkRegistry('logbook', [m(1, ''), m(3, '')])).toThrow(/module logbook.*trou ou désordre/);
    expect(() => checkModules([mod('calls', [m(2, ''), m(1, '')])])).toThrow(/module calls.*trou ou désordre/);
    expect(thrown(() => checkModules([mod('x', [m(0, '')])])).code).toBe('invalid');
  });

  it('refuses a module declared twice, the reserved name and a name that is not lower-case ASCII', () => {
    expect(() => checkModules([mod('logbook', []), mod('logbook', [])])).toThrow(/module déclaré deux fois : logbook/);
    expect(() => checkModules([mod(KERNEL_MODULE, [])])).toThrow(/réservé/);
    for (const name of ['Logbook', 'main-courante', 'é', '', '1calls'])
      expect(thrown(() => checkModules([mod(name, [])])).code).toBe('invalid');
  });
});

describe('the store kernel migration', () => {
  it('1 events: the append-only log, the chain heads, the clock at zero and meta', () => {
    const db = new Database(':memory:');
    migrate(db, 'mem', []);
    expect(tables(db)).toEqual(STORE_TABLES);
    expect(db.prepare('SELECT l, c FROM clock').all()).toEqual([{ l: 0, c: 0 }]);
    db.prepare(
      "INSERT INTO events (origin, seq, id, hlc, type, author, payload, prev_hash, hash) VALUES ('o', 1, 'i', 'h', 't', 'a', '{}', '0', 'x')",
    ).run();
    expect(() => db.prepare("UPDATE events SET payload = '[]'").run()).toThrow(/modification refusée/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/suppression refusée/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO events (origin, seq, id, hlc, type, author, payload, prev_hash, hash) VALUES ('o', 2, 'j', 'h', 't', 'a', 'pas du json', '0', 'x')",
        )
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});

describe('migrate (per-module layout)', () => {
  it('a fresh file gets the store tables first, then each module, and records every version', () => {
    const db = new Database(':memory:');
    const order: string[] = [];
    const a = mod('a', [{ version: 1, name: 'a1', up: (d) => order.push(`a1 ${tables(d).includes('events')}`) }]);
    expect(
      migrate(db, 'mem', [a, mod('b', [m(1, 'CREATE TABLE b (x INTEGER)'), m(2, 'CREATE TABLE b2 (x INTEGER)')])]),
    ).toBe(STORE_VERSION + 3);
    expect(order).toEqual(['a1 true']);
    expect(userVersion(db)).toBe(LAYOUT_VERSION);
    expect(schemaVersions(db, 'mem')).toEqual({ [KERNEL_MODULE]: STORE_VERSION, a: 1, b: 2 });
    expect(tables(db)).toEqual([...STORE_TABLES.slice(0, 4), 'b', 'b2', 'schema_versions'].sort());
    db.close();
  });

  it('applies only what is pending: a new step of one module, a module added later', () => {
    const db = new Database(':memory:');
    const b1 = m(1, 'CREATE TABLE b (x INTEGER)');
    migrate(db, 'mem', [mod('b', [b1])]);
    expect(migrate(db, 'mem', [mod('b', [b1])])).toBe(0);
    const b2 = m(2, 'CREATE TABLE b2 (x INTEGER)');
    expect(migrate(db, 'mem', [mod('b', [b1, b2])])).toBe(1);
    expect(migrate(db, 'mem', [mod('c', [m(1, 'CREATE TABLE c (x INTEGER)')]), mod('b', [b1, b2])])).toBe(1);
    expect(schemaVersions(db, 'mem')).toEqual({ [KERNEL_MODULE]: STORE_VERSION, b: 2, c: 1 });
    // A module of the file that this build does not load keeps its tables and its version.
    expect(migrate(db, 'mem', [])).toBe(0);
    expect(tables(db)).toEqual([...STORE_TABLES, 'b', 'b2', 'c'].sort());
    db.close();
  });

  it('is all or nothing across modules: one failing step leaves the file as it was', () => {
    const db = new Database(':memory:');
    migrate(db, 'mem', [mod('a', [m(1, 'CREATE TABLE a (x INTEGER)')])]);
    const before = describeSchema(db);
    const list = [
      mod('a', [m(1, 'CREATE TABLE a (x INTEGER)'), m(2, 'CREATE TABLE a2 (x INTEGER)')]),
      mod('b', [m(1, 'CREATE TABLE b (x INTEGER)'), m(2, 'CREATE TABLE oops (')]),
    ];
    expect(() => migrate(db, 'mem', list)).toThrow();
    expect(describeSchema(db)).toEqual(before);
    expect(schemaVersions(db, 'mem')).toEqual({ [KERNEL_MODULE]: STORE_VERSION, a: 1 });
    db.close();
    // On a fresh file, even the store's own tables and schema_versions are rolled back.
    const fresh = new Database(':memory:');
    expect(() => migrate(fresh, 'mem', [mod('b', [m(1, 'CREATE TABLE oops (')])])).toThrow();
    expect(tables(fresh)).toEqual([]);
    expect(userVersion(fresh)).toBe(0);
    fresh.close();
  });

  it('refuses, untouched, a file whose module is newer than this build, naming the file and the module', () => {
    const db = new Database(':memory:');
    migrate(db, 'mem', [mod('calls', [m(1, 'CREATE TABLE c1 (x INTEGER)'), m(2, 'CREATE TABLE c2 (x INTEGER)')])]);
    const before = describeSchema(db);
    const error = thrown(() =>
      migrate(db, '/x/vigie.db', [mod('logbook', [m(1, 'CREATE TABLE l (x INTEGER)')]), mod('calls', [m(1, '')])]),
    );
    expect(error.code).toBe('newer_schema');
    expect(error.message).toMatch(/La base \/x\/vigie.db a été écrite par une version plus récente de Vigie/);
    expect(error.message).toContain('module calls : schéma 2, cette version connaît le schéma 1');
    // Refused before anything ran: logbook's pending step was not applied either.
    expect(describeSchema(db)).toEqual(before);
    db.close();
  });

  it('refuses a newer layout and an inconsistent one, untouched', () => {
    const newer = new Database(':memory:');
    newer.pragma(`user_version = ${LAYOUT_VERSION + 1}`);
    expect(thrown(() => migrate(newer, '/x/vigie.db', [])).code).toBe('newer_schema');
    expect(tables(newer)).toEqual([]);
    newer.close();
    // user_version of the per-module layout without its table: not a file this code wrote.
    const odd = new Database(':memory:');
    odd.pragma(`user_version = ${LAYOUT_VERSION}`);
    const error = thrown(() => migrate(odd, '/x/vigie.db', []));
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain('/x/vigie.db');
    expect(tables(odd)).toEqual([]);
    odd.close();
  });
});

describe('in-place upgrade of single-registry files (user_version 1–6)', () => {
  it('maps each old step onto its module version', () => {
    expect(legacyVersions(1)).toEqual(new Map([[KERNEL_MODULE, 1]]));
    expect(legacyVersions(3)).toEqual(
      new Map([
        [KERNEL_MODULE, 1],
        ['logbook', 1],
        ['calls', 1],
      ]),
    );
    expect(legacyVersions(6)).toEqual(
      new Map([
        [KERNEL_MODULE, 1],
        ['logbook', 4],
        ['calls', 1],
      ]),
    );
    expect(legacyVersions(0)).toBeUndefined();
    expect(legacyVersions(LAYOUT_VERSION)).toBeUndefined();
  });

  for (const version of [1, 2, 3, 4, 5, 6]) {
    it(`user_version ${version}: same schema as a fresh file, versions recorded, in one step`, () => {
      const fresh = new Database(':memory:');
      migrate(fresh, 'mem', testSchemas());
      const db = legacyFile(version);
      const applied = migrate(db, 'mem', testSchemas());
      // Only what the old registry had not applied runs (its 6 steps were store 1, logbook 1-4, calls 1).
      expect(applied).toBe(allSteps() - version);
      expect(describeSchema(db)).toEqual(describeSchema(fresh));
      expect(schemaVersions(db, 'mem')).toEqual(allVersions());
      expect(userVersion(db)).toBe(LAYOUT_VERSION);
      db.close();
      fresh.close();
    });
  }

  it('records the versions of a module this build does not load, so that it is not re-created later', () => {
    const db = legacyFile(6);
    // The store's own pending steps run (the layout is upgraded), no module's.
    expect(migrate(db, 'mem', [])).toBe(STORE_VERSION - 1);
    expect(schemaVersions(db, 'mem')).toEqual({ [KERNEL_MODULE]: STORE_VERSION, logbook: 4, calls: 1 });
    expect(migrate(db, 'mem', testSchemas())).toBe(allSteps() - 6 - (STORE_VERSION - 1));
    db.close();
  });

  it('a failing module step during the upgrade leaves the old file exactly as it was', () => {
    const db = legacyFile(4);
    const before = describeSchema(db);
    const [logbook, ...others] = testSchemas();
    if (logbook === undefined) throw new Error('logbook absent');
    const broken = {
      ...logbook,
      migrations: [...logbook.migrations, m(logbook.migrations.length + 1, 'CREATE TABLE oops (')],
    };
    expect(() => migrate(db, 'mem', [broken, ...others])).toThrow();
    expect(describeSchema(db)).toEqual(before);
    expect(userVersion(db)).toBe(4);
    db.close();
  });
});
