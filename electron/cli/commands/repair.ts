import { moduleSchemas } from '../../core/modules.js';
import { repairDatabase } from '../../core/store/repair.js';
import { acquireDataDirLock } from '../../core/store/lock.js';
import { parseFlags, required } from '../args.js';

/**
 * `vigie repair --data DIR` (console stopped: it takes the directory's lock): projections, full-text indexes
 * and SQL indexes rebuilt from the events (store/repair.ts); the events are never written.
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, { data: { type: 'string' } });
  const dataDir = required(values.data, 'data');
  const lock = acquireDataDirLock(dataDir, 'vigie repair');
  try {
    const started = performance.now();
    const result = repairDatabase(dataDir, moduleSchemas());
    process.stdout.write(
      `Tables dérivées reconstruites à partir de ${result.events} événements (${result.mode === 'in-place' ? 'sur place' : 'dans un nouveau fichier'}) en ${Math.round(performance.now() - started)} ms\n` +
        (result.previous === undefined ? '' : `Ancien fichier conservé : ${result.previous}\n`) +
        'Vérifier : vigie verify --data ' +
        dataDir +
        '\n',
    );
    return 0;
  } finally {
    lock.release();
  }
};
