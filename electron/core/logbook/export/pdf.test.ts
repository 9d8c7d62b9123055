import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogbookEntry } from '../../../contract/logbook.js';
import { writePdf } from './pdf.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-pdf-'));
afterAll(() => {
  if (process.env.KEEP_PDF === undefined) rmSync(dir, { recursive: true, force: true });
  else console.log(dir);
});

const entry = (n: number, text: string, extra: Partial<LogbookEntry> = {}): LogbookEntry => ({
  id: `id-${n}`,
  origin: 'o',
  position: 'POSTE-1',
  day: '2026-11-29',
  number: n,
  reference: `2026-11-29 n° ${n} (POSTE-1)`,
  writtenAt: '2026-11-29T10:00:00.000Z',
  factAt: '2026-11-29T10:00:00.000Z',
  late: false,
  author: 'Marie Wamytan',
  role: 'chef_de_salle',
  category: 'information',
  important: false,
  text,
  kind: 'entry',
  operationId: null,
  callId: null,
  shiftId: null,
  corrects: null,
  correctsReference: null,
  correctedBy: [],
  eventHash: 'ab'.repeat(32),
  ...extra,
});

const pdftotext = (file: string): string => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

describe('writePdf', () => {
  it('numbers pages n / N, prints the hash, every entry and its accents, and a text longer than a page', async () => {
    const entries = [
      entry(1, 'Départ du VSAV de Koné — « Île-des-Pins » ; ŋ Ç œ'),
      entry(2, 'Ligne 18 en dérangement.', { correctedBy: [{ id: 'id-3', reference: '2026-11-29 n° 3 (POSTE-1)' }] }),
      entry(3, 'Ligne 112 en dérangement.', {
        kind: 'correction',
        corrects: 'id-2',
        correctsReference: '2026-11-29 n° 2 (POSTE-1)',
        factAt: '2026-11-29T09:00:00.000Z',
        late: true,
      }),
      entry(4, 'Long. '.repeat(1500)),
      ...Array.from({ length: 200 }, (_, i) => entry(5 + i, `Inscription ${5 + i}`)),
    ];
    const file = join(dir, 'a.pdf');
    const progress: number[] = [];
    const source = async function* () {
      for (let i = 0; i < entries.length; i += 50) yield entries.slice(i, i + 50);
    };
    const { pages } = await writePdf(
      file,
      {
        directorate: 'DSCGR',
        position: 'POSTE-1',
        period: 'du 29/11/2026 au 30/11/2026',
        lastEventHash: 'cd'.repeat(32),
      },
      source,
      (d) => progress.push(d),
    );
    expect(pages).toBeGreaterThan(3);
    const text = pdftotext(file);
    expect(text).toContain(`page 1 / ${pages}`);
    expect(text).toContain(`page ${pages} / ${pages}`);
    expect(text).not.toContain(`page ${pages + 1} /`);
    expect(text).toContain('SHA-256 du dernier événement couvert :');
    expect(text).toMatch(new RegExp(`^\\s*${'cd'.repeat(32)}\\s*$`, 'm'));
    expect(text).toContain('Départ du VSAV de Koné — « Île-des-Pins » ; ŋ Ç œ');
    expect(text).toContain('RECTIFIÉE');
    expect(text).toContain('Rectifiée par : 2026-11-29 n° 3 (POSTE-1)');
    expect(text).toContain('Rectificatif de l’inscription 2026-11-29 n° 2 (POSTE-1)');
    expect(text).toContain('(saisie différée)');
    for (const e of entries) expect(text).toMatch(new RegExp(`n° ${e.number}\\s`));
    expect(progress.at(-1)).toBe(entries.length * 2);
  });
});
