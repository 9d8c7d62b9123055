import { moduleSchemas } from '../../core/modules.js';
import { openStore } from '../../core/store/index.js';
import { existingDataDir, parseFlags } from '../args.js';

/** `vigie backup --data DIR [--keep N]`: one online backup now, checked (quick_check + verify), then rotation. */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, { data: { type: 'string' }, keep: { type: 'string' } });
  const keep = values.keep === undefined ? undefined : Number.parseInt(values.keep, 10);
  const store = openStore({
    dataDir: existingDataDir(values.data),
    modules: moduleSchemas(),
    backup: keep === undefined || Number.isNaN(keep) ? false : { keep, intervalMs: 0 },
  });
  try {
    const { file, events } = await store.backup();
    process.stdout.write(`${file}\nOK ${events} events\n`);
    return 0;
  } finally {
    store.close();
  }
};
