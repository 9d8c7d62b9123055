import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { moduleSchemas } from '../../core/modules.js';
import { openStore } from '../../core/store/index.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { run } from './calls.js';

let dir: string;
afterEach(() => {
  vi.restoreAllMocks();
  removeDataDir(dir);
});

const capture = async (argv: string[]): Promise<{ code: number; lines: string[] }> => {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  const code = await run(argv);
  vi.restoreAllMocks();
  return {
    code,
    lines: chunks
      .join('')
      .split('\n')
      .filter((l) => l !== ''),
  };
};

describe('vigie calls', () => {
  it('prints one JSON object per call with the fields the issue names, and the pending callbacks', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-cli-calls-'));
    const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
    const offered = (callId: string, at: number) =>
      store.append(
        'call.offered',
        {
          callId,
          direction: 'in',
          sipCallId: `s-${callId}`,
          line: { number: '18', label: 'Pompiers 18', priority: 100, configured: true },
          caller: { number: '0687', name: null },
          at,
        },
        'op',
      );
    offered('a', 1_000);
    store.append('call.ended', { callId: 'a', at: 4_000, cause: 'abandoned' }, 'op');
    offered('b', 2_000);
    store.append('call.answered', { callId: 'b', at: 3_000 }, 'op');
    store.append('call.ended', { callId: 'b', at: 9_000, cause: 'caller_hangup' }, 'op');
    store.close();

    const { code, lines } = await capture(['--data', dir, '--json']);
    expect(code).toBe(0);
    const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      id: 'a',
      line: 'Pompiers 18',
      caller: '0687',
      state: 'ended',
      cause: 'abandoned',
      offered_at: '1970-01-01T00:00:01.000Z',
      answered_at: null,
      ended_at: '1970-01-01T00:00:04.000Z',
      wait_ms: 3000,
      talk_ms: null,
    });
    expect(rows[1]).toMatchObject({ id: 'b', cause: 'caller_hangup', wait_ms: 1000, talk_ms: 6000 });

    const human = await capture(['--data', dir]);
    expect(human.lines[0]).toContain('abandonné');
    expect(human.lines[1]).toContain("raccroché par l'appelant");
    expect(human.lines.at(-1)).toBe('2 appel(s)');

    const callbacks = await capture(['--data', dir, '--callbacks', '--json']);
    expect(callbacks.lines.map((l) => (JSON.parse(l) as { call_id: string }).call_id)).toEqual(['a']);
  });
});
