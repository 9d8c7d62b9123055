import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { MAX_DIRECTORY_CSV_CHARS } from '../../contract/directory.js';
import { VigieError } from '../../contract/result.js';
import { createDirectoryHandlers } from '../../core/directory/service.js';
import { moduleSchemas } from '../../core/modules.js';
import { openStore } from '../../core/store/index.js';
import { parseFlags, required, UsageError } from '../args.js';

const defaultAuthor = (): string => {
  try {
    return userInfo().username || 'technicien';
  } catch {
    return 'technicien';
  }
};

/**
 * `vigie directory import --data DIR --file F.csv [--author NOM]` and `vigie directory export --data DIR
 * [--out F.csv]`: the operational directory through the module's own handlers, so that the CLI checks a
 * file exactly as the console does (one French error per bad line, nothing imported on any error).
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseFlags(argv, {
    data: { type: 'string' },
    file: { type: 'string' },
    out: { type: 'string' },
    author: { type: 'string' },
  });
  const action = positionals[0];
  if (action !== 'import' && action !== 'export') throw new UsageError('action attendue : import ou export');
  const dataDir = required(values.data, 'data');
  let csv = '';
  if (action === 'import') {
    const file = required(values.file, 'file');
    // Checked before reading: a wrong file (an export of the whole log, say) is not loaded into memory.
    if (statSync(file).size > MAX_DIRECTORY_CSV_CHARS * 4) throw new UsageError(`${file} : fichier trop gros`);
    csv = readFileSync(file, 'utf8');
  }
  const store = openStore({ dataDir, modules: moduleSchemas(), backup: false });
  try {
    const author = values.author ?? defaultAuthor();
    const handlers = createDirectoryHandlers({ store, operator: () => author });
    if (action === 'export') {
      const { csv: text, count } = handlers['directory.export']({});
      if (values.out === undefined) process.stdout.write(text);
      else writeFileSync(values.out, text);
      process.stderr.write(`${count} entrée(s) exportée(s)\n`);
      return 0;
    }
    try {
      const parsed = handlers['directory.import']({ csv });
      process.stdout.write(`Annuaire importé : ${parsed.created} créée(s), ${parsed.updated} mise(s) à jour\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof VigieError)) throw error;
      process.stderr.write(`${error.message}\n${(error.details ?? []).map((d) => `  ${d}\n`).join('')}`);
      return 1;
    }
  } finally {
    store.close();
  }
};
