import { restoreBackup } from '../../core/store/index.js';
import { parseFlags, required } from '../args.js';

/** `vigie restore --data DIR --from FILE`: Vigie must be stopped. See electron/core/store/README.md. */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, { data: { type: 'string' }, from: { type: 'string' } });
  const result = restoreBackup(required(values.from, 'from'), required(values.data, 'data'));
  if (result.previous !== undefined) process.stdout.write(`ancienne base conservée : ${result.previous}\n`);
  process.stdout.write(`restaurée : ${result.restored}\nOK ${result.events} events\n`);
  return 0;
};
