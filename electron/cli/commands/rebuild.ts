import { moduleSchemas } from '../../core/modules.js';
import { openStore } from '../../core/store/index.js';
import { existingDataDir, parseFlags } from '../args.js';
import { progressLine } from '../progress.js';

/**
 * `vigie rebuild --data DIR`: empties every projection table and replays all events into it, in one
 * transaction. At 1 M events that is tens of seconds: progress on stderr (progress.ts).
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, { data: { type: 'string' } });
  const store = openStore({ dataDir: existingDataDir(values.data), modules: moduleSchemas(), backup: false });
  try {
    const started = performance.now();
    const { events } = store.rebuild(
      progressLine('reconstruction', 'événements', 'index de recherche et écriture sur disque…'),
    );
    const tables = moduleSchemas()
      .flatMap((m) => m.projections.flatMap((p) => p.tables))
      .join(', ');
    process.stdout.write(
      `Projections reconstruites (${tables}) à partir de ${events} événements en ${Math.round(performance.now() - started)} ms\n`,
    );
    return 0;
  } finally {
    store.close();
  }
};
