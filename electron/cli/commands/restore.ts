import { restoreBackup } from '../../core/store/index.js';
import { acquireDataDirLock, ensureDataDir } from '../../core/store/lock.js';
import { parseFlags, required } from '../args.js';

/** `vigie restore --data DIR --from FILE`: Vigie must be stopped. See electron/core/store/README.md. */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, { data: { type: 'string' }, from: { type: 'string' } });
  const dataDir = required(values.data, 'data');
  // A backup may be restored onto a new machine: its directory is made as the console would make it.
  ensureDataDir(dataDir);
  // "Vigie must be stopped" is checked, not trusted: a running console holds the directory's lock.
  const lock = acquireDataDirLock(dataDir, 'vigie restore');
  let result: ReturnType<typeof restoreBackup>;
  try {
    result = restoreBackup(required(values.from, 'from'), dataDir);
  } finally {
    lock.release();
  }
  if (result.previous !== undefined) process.stdout.write(`ancienne base conservée : ${result.previous}\n`);
  process.stdout.write(`restaurée : ${result.restored}\nOK ${result.events} events\n`);
  return 0;
};
