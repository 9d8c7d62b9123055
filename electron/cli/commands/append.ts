import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { loadFileConfig } from '../../core/config.js';
import { legacySchemas } from '../../core/schemas.js';
import { DEFAULT_CATEGORY, LOGBOOK_ENTRY } from '../../core/logbook/index.js';
import { openStore, StoreError, type Store } from '../../core/store/index.js';
import { parseFlags, required } from '../args.js';

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
 * logbook entry; each committed event's id is printed on its own line right after its COMMIT, so that
 * a reader of stdout never sees an id that a crash could lose (DESIGN.md rule 3).
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, {
    data: { type: 'string' },
    author: { type: 'string' },
    category: { type: 'string' },
  });
  const dataDir = required(values.data, 'data');
  const author = values.author ?? defaultAuthor();
  const category = values.category ?? DEFAULT_CATEGORY;
  // Entries name the position that wrote them, as those written from the console do.
  const position = loadFileConfig(dataDir).positionName;
  const store = openStore({ dataDir, modules: legacySchemas, backup: false });
  try {
    return await appendLines(store, author, { category, position });
  } finally {
    store.close();
  }
};

const appendLines = (store: Store, author: string, fields: { category: string; position: string }): Promise<number> =>
  new Promise((resolve, reject) => {
    const input = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    let pending: { text: string; line: number }[] = [];
    let lineNo = 0;
    let rejected = 0;
    let scheduled = false;
    let failed = false;

    const commitOneByOne = (batch: readonly { text: string; line: number }[]): void => {
      for (const { text, line } of batch) {
        try {
          process.stdout.write(`${store.append(LOGBOOK_ENTRY, { text, ...fields }, author).id}\n`);
        } catch (error) {
          if (!(error instanceof StoreError) || error.code !== 'invalid') throw error;
          rejected += 1;
          process.stderr.write(`ligne ${line} refusée : ${error.message}\n`);
        }
      }
    };

    const flush = (): void => {
      scheduled = false;
      while (pending.length > 0 && !failed) {
        const batch = pending.slice(0, MAX_BATCH);
        pending = pending.slice(batch.length);
        try {
          const events = store.appendAll(
            batch.map(({ text }) => ({ type: LOGBOOK_ENTRY, payload: { text, ...fields }, author })),
          );
          process.stdout.write(events.map((e) => `${e.id}\n`).join(''));
        } catch (error) {
          try {
            // One bad line must not take its neighbours down with it: retry them one by one.
            if (error instanceof StoreError && error.code === 'invalid') commitOneByOne(batch);
            else throw error;
          } catch (fatal) {
            failed = true;
            input.close();
            reject(fatal instanceof Error ? fatal : new Error(String(fatal)));
          }
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
