import type Database from 'better-sqlite3';
import { mappingSqliteErrors, StoreError } from './errors.js';
import { KERNEL_MODULE, LAYOUT_VERSION, readFileVersions, SCHEMA_VERSIONS_TABLE, type FileVersions } from './layout.js';
import { kernelMigrations } from './migrations/index.js';
import type { Migration, ModuleSchema } from './types.js';

/** What migrate needs of a module. */
export type MigrationRegistry = Pick<ModuleSchema, 'name' | 'migrations'>;

/** Lower-case ASCII: the name is also the module's key in `schema_versions`. */
const MODULE_NAME = /^[a-z][a-z0-9_]*$/;

/** Throws unless versions are exactly 1, 2, …, N in order (a gap means a lost or misnumbered file). */
export const checkRegistry = (module: string, list: readonly Migration[]): void => {
  list.forEach((m, index) => {
    if (m.version !== index + 1) {
      throw new StoreError(
        'invalid',
        `registre des migrations du module ${module} incohérent : position ${index + 1} porte la version ` +
          `${m.version} (${m.name}) — trou ou désordre`,
      );
    }
  });
};

/** Refuses an invalid or reserved module name, a module declared twice, and a registry with a gap or disorder. */
export const checkModules = (modules: readonly MigrationRegistry[]): void => {
  const seen = new Set<string>();
  for (const module of modules) {
    if (!MODULE_NAME.test(module.name))
      throw new StoreError('invalid', `nom de module invalide : « ${module.name} » (minuscules, chiffres et _)`);
    if (module.name === KERNEL_MODULE)
      throw new StoreError('invalid', `nom de module réservé au journal lui-même : ${module.name}`);
    if (seen.has(module.name)) throw new StoreError('invalid', `module déclaré deux fois : ${module.name}`);
    seen.add(module.name);
    checkRegistry(module.name, module.migrations);
  }
};

interface Step {
  module: string;
  migration: Migration;
}

/** The pending steps, the store's first; refuses a module whose file version is newer than its registry. */
const pendingSteps = (file: string, state: FileVersions, registries: readonly MigrationRegistry[]): Step[] => {
  const steps: Step[] = [];
  for (const { name, migrations } of registries) {
    const current = state.versions.get(name) ?? 0;
    if (current > migrations.length) {
      throw new StoreError(
        'newer_schema',
        `La base ${file} a été écrite par une version plus récente de Vigie (module ${name} : schéma ${current}, ` +
          `cette version connaît le schéma ${migrations.length}). Elle n'a pas été modifiée : mettez Vigie à jour sur ce poste.`,
      );
    }
    for (const migration of migrations.slice(current)) steps.push({ module: name, migration });
  }
  return steps;
};

/**
 * Brings the file to the schema of the store and of every module given: a single-registry file is first
 * mapped onto module versions (layout.ts), then every pending migration of every module runs, the store's
 * first, with the new `schema_versions` rows and `PRAGMA user_version`, all in ONE transaction
 * (user_version lives in the database header and rolls back with it:
 * https://sqlite.org/pragma.html#pragma_user_version). A newer file is refused before anything is written.
 * Returns the number of migrations applied.
 */
export const migrate = (db: Database.Database, file: string, modules: readonly MigrationRegistry[]): number => {
  checkModules(modules);
  const registries: readonly MigrationRegistry[] = [{ name: KERNEL_MODULE, migrations: kernelMigrations }, ...modules];
  return mappingSqliteErrors(file, () => {
    // One read transaction, so that the header and schema_versions come from the same snapshot even if
    // another process upgrades the file meanwhile (https://sqlite.org/isolation.html).
    const upToDate = db.transaction((): boolean => {
      const before = readFileVersions(db, file);
      return before.layout === 'modules' && pendingSteps(file, before, registries).length === 0;
    })();
    if (upToDate) return 0;
    return db
      .transaction((): number => {
        // Read again under the write lock: another process may have migrated the file in between.
        const state = readFileVersions(db, file);
        const steps = pendingSteps(file, state, registries);
        if (state.layout !== 'modules') db.exec(SCHEMA_VERSIONS_TABLE);
        const record = db.prepare(
          'INSERT INTO schema_versions (module, version) VALUES (?, ?) ' +
            'ON CONFLICT (module) DO UPDATE SET version = excluded.version',
        );
        // A single-registry file: record what its steps had applied, for every module (loaded or not).
        if (state.layout === 'legacy') for (const [module, version] of state.versions) record.run(module, version);
        for (const step of steps) {
          step.migration.up(db);
          record.run(step.module, step.migration.version);
        }
        // PRAGMA arguments cannot be bound parameters; LAYOUT_VERSION is our constant.
        db.pragma(`user_version = ${LAYOUT_VERSION}`);
        return steps.length;
      })
      .immediate();
  });
};

/** Schema version of each module recorded in an open store's file (module `store`: the store's own). */
export const schemaVersions = (db: Database.Database, file: string): Record<string, number> =>
  Object.fromEntries(readFileVersions(db, file).versions);
