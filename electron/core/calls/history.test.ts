/**
 * The call history's reads (issue 10 item 7) on a real SQLite store: the filters of calls.list, and the
 * main courante entries written during a call shown among its links, rebuilt the same from the events.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeDataDir } from '../../testing/data-dir.js';
import { moduleSchemas } from '../modules.js';
import { openStore, type Store } from '../store/index.js';
import { createCallsHandlers, type CallsHandlers } from './handlers.js';
import { createCallDesk } from './desk.js';
import { getCall, listCalls } from './queries.js';

let dir: string;
let store: Store;
let h: CallsHandlers;

const offered = (callId: string, line: string, from: string, at: number): void => {
  store.append(
    'call.offered',
    {
      callId,
      direction: 'in',
      sipCallId: `s-${callId}`,
      line: { number: line, label: `Ligne ${line}`, priority: 100, configured: true },
      caller: { number: from, name: null },
      at,
    },
    'Marie',
  );
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-calls-history-'));
  store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
  const desk = createCallDesk({ store, operator: () => 'Marie' });
  h = createCallsHandlers({ store, desk, operator: () => 'Marie', now: () => 9_000 });
  offered('a', '18', '0687000018', 1_000);
  store.append('call.ended', { callId: 'a', at: 2_000, cause: 'abandoned' }, 'Marie');
  offered('b', '112', '+687 27 11 12', 3_000);
  store.append('call.answered', { callId: 'b', at: 3_500 }, 'Marie');
  store.append('call.ended', { callId: 'b', at: 4_000, cause: 'caller_hangup' }, 'Marie');
  h['calls.qualify']({ callId: 'b', code: 'malveillant' });
  offered('c', '18', '0687999999', 5_000);
  store.append('call.ended', { callId: 'c', at: 6_000, cause: 'caller_hangup' }, 'Marie');
});
afterEach(() => {
  store.close();
  removeDataDir(dir);
});

// The handler's answer (checked once below) and the query it runs, read synchronously.
const ids = (args: Parameters<CallsHandlers['calls.list']>[0]): string[] => listCalls(store.db, args).map((c) => c.id);

describe('call history', () => {
  it('filters by line, qualification, end cause and digits of the number, combined', async () => {
    expect(ids({ limit: 50 })).toEqual(['c', 'b', 'a']);
    expect(await h['calls.list']({ limit: 50, line: '112' })).toMatchObject([
      { id: 'b', qualification: { code: 'malveillant' } },
    ]);
    expect(ids({ limit: 50, line: '18' })).toEqual(['c', 'a']);
    expect(ids({ limit: 50, qualification: 'malveillant' })).toEqual(['b']);
    expect(ids({ limit: 50, cause: 'caller_hangup' })).toEqual(['c', 'b']);
    expect(ids({ limit: 50, number: '27 11' })).toEqual(['b']);
    expect(ids({ limit: 50, number: '0687' })).toEqual(['c', 'a']);
    expect(ids({ limit: 50, line: '18', cause: 'abandoned', number: '18' })).toEqual(['a']);
    expect(ids({ limit: 50, number: '%' })).toEqual(['c', 'b', 'a']);
  });

  it('shows an entry written during a call among its links, and keeps it through a rebuild', () => {
    const entry = store.append('logbook.entry', { text: 'Feu à Tomo', category: 'appel', callId: 'c' }, 'Marie');
    store.append('logbook.entry', { text: 'Sans appel', category: 'information' }, 'Marie');
    store.append('logbook.entry', { text: 'Appel inconnu', category: 'appel', callId: 'zz' }, 'Marie');
    expect(getCall(store.db, 'c')?.links).toEqual([{ kind: 'entry', targetId: entry.id }]);
    expect(getCall(store.db, 'a')?.links).toEqual([]);
    store.rebuild();
    expect(getCall(store.db, 'c')?.links).toEqual([{ kind: 'entry', targetId: entry.id }]);
  });
});
