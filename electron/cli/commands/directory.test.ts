import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { moduleSchemas } from '../../core/modules.js';
import { openStore } from '../../core/store/index.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { run } from './directory.js';

let dir: string;
afterEach(() => {
  vi.restoreAllMocks();
  removeDataDir(dir);
});

/** Runs the command with stdout and stderr captured. */
const capture = async (argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  const code = await run(argv);
  vi.restoreAllMocks();
  return { code, out: out.join(''), err: err.join('') };
};

const events = (): number => {
  const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
  try {
    return store.count();
  } finally {
    store.close();
  }
};

describe('vigie directory', () => {
  it('imports the sample, refuses a bad file whole with each line named (exit 1), exports the same rows', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-cli-directory-'));
    const sample = join(__dirname, '../../../resources/directory-sample.csv');
    const ok = await capture(['import', '--data', dir, '--file', sample, '--author', 'Technicien SIC']);
    expect(ok).toMatchObject({ code: 0, out: 'Annuaire importé : 13 créée(s), 0 mise(s) à jour\n' });

    const bad = join(dir, 'faux.csv');
    writeFileSync(bad, 'nom;service;numero\nA;autre;1\nB;phare;2\nC;autre;\n');
    const refused = await capture(['import', '--data', dir, '--file', bad]);
    expect(refused.code).toBe(1);
    expect(refused.err.split('\n')).toEqual([
      'Import refusé : 2 lignes en erreur, rien n’a été importé.',
      expect.stringMatching(/^ {2}ligne 3 : service « phare » inconnu/),
      '  ligne 4 : numéro obligatoire',
      '',
    ]);
    expect(events()).toBe(13);

    const out = join(dir, 'export.csv');
    expect((await capture(['export', '--data', dir, '--out', out])).err).toBe('13 entrée(s) exportée(s)\n');
    const again = await capture(['import', '--data', dir, '--file', out]);
    expect(again.out).toBe('Annuaire importé : 0 créée(s), 13 mise(s) à jour\n');
    expect(readFileSync(out, 'utf8').split('\r\n')).toHaveLength(15);
  });

  it('says which action is expected', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-cli-directory-'));
    await expect(run(['purge', '--data', dir])).rejects.toThrow('action attendue : import ou export');
  });
});
