import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { moduleSchemas } from '../../core/modules.js';
import { openStore } from '../../core/store/index.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { UsageError } from '../args.js';
import { run } from './stats.js';

let dir: string;
afterEach(() => {
  vi.restoreAllMocks();
  removeDataDir(dir);
});

const capture = async (argv: string[]): Promise<{ code: number; out: string }> => {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  const code = await run(argv);
  vi.restoreAllMocks();
  return { code, out: chunks.join('') };
};

describe('vigie stats', () => {
  it('prints the figures of a day, as text, JSON and CSV', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-cli-stats-'));
    const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
    const at = Date.parse('2026-11-30T10:00:00+11:00');
    const line = { number: '18', label: 'Pompiers 18', priority: 100, configured: true };
    for (const [id, wait] of [
      ['a', 4],
      ['b', 25],
    ] as const) {
      store.append(
        'call.offered',
        { callId: id, direction: 'in', sipCallId: `s-${id}`, line, caller: { number: '1', name: null }, at },
        'système',
      );
      store.append('call.answered', { callId: id, at: at + wait * 1000 }, 'Marie');
    }
    store.close();
    const day = ['--data', dir, '--from', '2026-11-30', '--to', '2026-12-01'];
    const text = await capture(day);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Appels présentés : 2, décrochés : 2, abandonnés : 0');
    expect(text.out).toContain('Décrochés en 15 s au plus : 50 % (1)');
    const json = await capture([...day, '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ presented: 2, answerMs: { p95: 25_000 } });
    const csv = await capture([...day, '--csv']);
    expect(csv.out).toContain('Décrochés en 20 s au plus (%);50\r\n');
    // The day before holds nothing: no figure, not 0 %.
    const before = await capture(['--data', dir, '--from', '2026-11-29', '--to', '2026-11-30']);
    expect(before.out).toContain('Décrochés en 15 s au plus : — (0)');
  });

  it('refuses a date it cannot read', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-cli-stats-'));
    await expect(run(['--data', dir, '--from', '30/11/2026'])).rejects.toBeInstanceOf(UsageError);
  });
});
