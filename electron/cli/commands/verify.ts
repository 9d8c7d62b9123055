import { databasePath, formatFailure, LAYOUT_VERSION, openDatabase, verifyDatabase } from '../../core/store/index.js';
import { parseFlags, UsageError } from '../args.js';

/**
 * `vigie verify --data DIR | --db FILE`: recomputes every hash chain, read-only (a backup file can be
 * checked in place). Last line `OK <n> events` and exit 0, or `FAIL origin=… seq=… id=… <problem>: …`
 * naming the first bad event and exit 1.
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, { data: { type: 'string' }, db: { type: 'string' } });
  if ((values.data === undefined) === (values.db === undefined))
    throw new UsageError('indiquer --data DIR ou --db FICHIER (un seul)');
  const file = values.db ?? databasePath(values.data ?? '');
  const db = openDatabase(
    file,
    values.data === undefined ? { readonly: true } : { readonly: true, dataDir: values.data },
  );
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const hasEvents =
      db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name IN ('events', 'heads')").all().length === 2;
    if (version < 1 || !hasEvents) {
      process.stdout.write(`FAIL ${file} n'est pas une base Vigie (aucun journal d'événements)\n`);
      return 1;
    }
    if (version > LAYOUT_VERSION) {
      process.stderr.write(
        `attention : base de schéma ${version}, plus récent que celui de cette version (${LAYOUT_VERSION})\n`,
      );
    }
    const report = verifyDatabase(db);
    for (const o of report.origins) {
      process.stdout.write(`origine ${o.origin} : ${o.events} événements, tête seq ${o.headSeq} ${o.headHash}\n`);
    }
    if (report.firstBad !== undefined) {
      process.stdout.write(`${formatFailure(report.firstBad)}\n`);
      return 1;
    }
    process.stdout.write(`OK ${report.events} events\n`);
    return 0;
  } finally {
    db.close();
  }
};
