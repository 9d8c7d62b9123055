import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { logbookFiltersSchema } from '../../contract/logbook.js';
import { loadFileConfig } from '../../core/config.js';
import { moduleSchemas } from '../../core/modules.js';
import { createLogbookService } from '../../core/logbook/service.js';
import { databasePath, openStore } from '../../core/store/index.js';
import { parseFlags, required, UsageError } from '../args.js';

/**
 * `vigie export --data DIR --format pdf|csv --out FILE [--from ISO] [--to ISO] [--operation ID]`:
 * the main courante (entries written between --from and --to, or linked to an operation) as a PDF for
 * the archives or a CSV for a spreadsheet. Progress on stderr; on stdout the file, the number of
 * entries and the SHA-256 of the last event covered (the one printed in the PDF footer).
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, {
    data: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    operation: { type: 'string' },
  });
  const dataDir = required(values.data, 'data');
  const format = required(values.format, 'format');
  if (format !== 'pdf' && format !== 'csv') throw new UsageError('--format pdf ou csv');
  const out = resolve(required(values.out, 'out'));
  const parsed = logbookFiltersSchema.safeParse({
    ...(values.from !== undefined ? { from: values.from } : {}),
    ...(values.to !== undefined ? { to: values.to } : {}),
    ...(values.operation !== undefined ? { operationId: values.operation } : {}),
  });
  if (!parsed.success)
    throw new UsageError(
      `dates ISO 8601 avec fuseau attendues (ex. 2026-11-29T00:00:00+11:00) : ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  // Never create an empty database by exporting from a mistyped folder.
  if (!existsSync(databasePath(dataDir))) throw new UsageError(`aucune base Vigie dans ${dataDir}`);
  const config = loadFileConfig(dataDir);
  const store = openStore({ dataDir, modules: moduleSchemas(), backup: false });
  const service = createLogbookService(store, {
    positionName: config.positionName,
    directorate: config.directorate,
    exportDir: dataDir,
  });
  const tty = process.stderr.isTTY;
  let lastShown = 0;
  try {
    const result = await service.exportLogbook({ format, filters: parsed.data, file: out }, (done, total) => {
      const now = Date.now();
      if (done < total && now - lastShown < 500) return;
      lastShown = now;
      const pct = total === 0 ? 100 : Math.floor((100 * done) / total);
      process.stderr.write(
        tty ? `\rexport ${format} : ${pct} % (${done}/${total})` : `export ${format} : ${pct} % (${done}/${total})\n`,
      );
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(
      `${result.file}\n${result.entries} inscriptions\nSHA-256 du dernier événement couvert : ${result.lastEventHash ?? '(aucun)'}\n`,
    );
    return 0;
  } finally {
    store.close();
  }
};
