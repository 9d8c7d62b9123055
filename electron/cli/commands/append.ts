import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { loadFileConfig } from '../../core/config.js';
import { DEFAULT_CATEGORY } from '../../core/logbook/index.js';
import { createLogbookService, type LogbookService } from '../../core/logbook/service.js';
import { moduleSchemas } from '../../core/modules.js';
import { openStore } from '../../core/store/index.js';
import { existingDataDir, parseFlags } from '../args.js';

/** Lines committed per transaction at most: a burst of piped lines shares one fsync, ids still print right after it. */
const MAX_BATCH = 1000;

const defaultAuthor = (): string => {
  try {
    return userInfo().username || 'opérateur';
  } catch {
    return 'opérateur';
  }
};

/**
 * `vigie append --data DIR [--author NAME] [--category CAT]`: each non-empty line of stdin becomes one
 * logbook entry, through the logbook module's own checks (NFC, length, configured category); each
 * committed event's id is printed on its own line right after its COMMIT, so that a reader of stdout never
 * sees an id that a crash could lose (docs/architecture.md, "Durable before acknowledged").
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, {
    data: { type: 'string' },
    author: { type: 'string' },
    category: { type: 'string' },
  });
  const dataDir = existingDataDir(values.data);
  const author = values.author ?? defaultAuthor();
  const category = values.category ?? DEFAULT_CATEGORY;
  const config = loadFileConfig(dataDir);
  const store = openStore({ dataDir, modules: moduleSchemas(), backup: false });
  try {
    // Entries name the position that wrote them, as those written from the console do.
    const logbook = createLogbookService(store, {
      positionName: config.positionName,
      directorate: config.directorate,
      exportDir: dataDir,
    });
    return await appendStdin(logbook, { author, category });
  } finally {
    store.close();
  }
};

const appendStdin = (logbook: LogbookService, fields: { author: string; category: string }): Promise<number> =>
  new Promise((resolve, reject) => {
    const input = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    let pending: { text: string; line: number }[] = [];
    let lineNo = 0;
    let rejected = 0;
    let scheduled = false;
    let failed = false;

    const flush = (): void => {
      scheduled = false;
      while (pending.length > 0 && !failed) {
        const batch = pending.slice(0, MAX_BATCH);
        pending = pending.slice(batch.length);
        try {
          const { ids, refused } = logbook.appendLines(
            batch.map(({ text }) => text),
            fields,
          );
          process.stdout.write(ids.flatMap((id) => (id === null ? [] : [`${id}\n`])).join(''));
          for (const { index, message } of refused) {
            rejected += 1;
            process.stderr.write(`ligne ${batch[index]?.line ?? '?'} refusée : ${message}\n`);
          }
        } catch (fatal) {
          failed = true;
          input.close();
          reject(fatal instanceof Error ? fatal : new Error(String(fatal)));
        }
      }
    };

    input.on('line', (line) => {
      lineNo += 1;
      if (line.trim() === '') return;
      pending.push({ text: line, line: lineNo });
      if (!scheduled) {
        scheduled = true;
        // Lines of one stdin chunk arrive synchronously: commit them together once the chunk is split.
        setImmediate(flush);
      }
    });
    input.on('close', () => {
      if (failed) return;
      flush();
      if (!failed) resolve(rejected > 0 ? 1 : 0);
    });
  });
