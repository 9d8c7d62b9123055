import { moduleSchemas } from '../../core/modules.js';
import { openStore } from '../../core/store/index.js';
import { parseFlags, required } from '../args.js';

/**
 * `vigie rebuild --data DIR`: empties every projection table and replays all events into it, in one
 * transaction. At 1 M events that is tens of seconds: progress on stderr (one line rewritten on a terminal,
 * a line per tenth otherwise), then the last phase named, since nothing moves while it runs.
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, { data: { type: 'string' } });
  const store = openStore({ dataDir: required(values.data, 'data'), modules: moduleSchemas(), backup: false });
  try {
    const started = performance.now();
    const tty = process.stderr.isTTY;
    let shownTenth = -1;
    const { events } = store.rebuild((done, total) => {
      const pct = total === 0 ? 100 : Math.floor((100 * done) / total);
      const line = `reconstruction : ${pct} % (${done}/${total} événements)`;
      if (done >= total) {
        process.stderr.write(`${tty ? '\r' : ''}${line} ; index de recherche et écriture sur disque…\n`);
        return;
      }
      if (tty) process.stderr.write(`\r${line}`);
      else if (Math.floor(pct / 10) > shownTenth) {
        shownTenth = Math.floor(pct / 10);
        process.stderr.write(`${line}\n`);
      }
    });
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
