import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_DIRECTORY_ROWS } from '../../contract/directory.js';
import { formatDirectoryCsv, parseDirectoryCsv } from './csv.js';

const HEAD = 'nom;service;numero;touche;notes';
const errorsOf = (csv: string) => {
  const parsed = parseDirectoryCsv(csv);
  if (parsed.ok) throw new Error('fichier accepté à tort');
  return parsed.errors;
};

describe('directory CSV import', () => {
  it('reads the sample of resources/ entirely, with its quoted field and its keys', () => {
    const parsed = parseDirectoryCsv(readFileSync(join(__dirname, '../../../resources/directory-sample.csv'), 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.rows.length).toBe(13);
    expect(parsed.rows[0]).toMatchObject({ line: 2, category: 'sdis', number: '000001', speedDial: 1 });
    const power = parsed.rows.find((r) => r.name.startsWith("Distributeur d'électricité"));
    expect(power?.category).toBe('reseaux');
    expect(power?.notes).toContain('lignes tombées; demander');
    expect(parsed.rows.filter((r) => r.speedDial !== null).map((r) => r.speedDial)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('accepts a comma file, columns in another order, a BOM, CRLF and a field over two lines', () => {
    const parsed = parseDirectoryCsv(
      `\uFEFFNuméro,Nom,Service\r\n+687 27.00-00,"Mairie, astreinte",mairie\r\n1002,"Poste\nlabo",autre\r\n`,
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.rows).toEqual([
      { line: 2, name: 'Mairie, astreinte', category: 'mairie', number: '+687270000', notes: '', speedDial: null },
      { line: 3, name: 'Poste\nlabo', category: 'autre', number: '1002', notes: '', speedDial: null },
    ]);
  });

  it('names each bad line with its number and its reason, all of them', () => {
    const csv = [
      HEAD,
      'SDIS;sdis;18;1;',
      ';sdis;18;;', // 3: no name
      'Phare;marine;123;;', // 4: unknown service
      'Météo;meteo;27 00 / 00;;', // 5: bad number
      'Police;police;17;0;', // 6: bad key
      'SAMU;samu;15;1;', // 7: key already given line 2
      'sdis;autre;99;;', // 8: same name as line 2 (case aside)
      'Mairie;mairie;12', // 9: missing field
      `Province;province;14;;${'x'.repeat(1001)}`, // 10: notes too long
      'Douane;autre;;;', // 11: no number
    ].join('\n');
    expect(errorsOf(csv)).toEqual([
      { line: 3, message: 'nom obligatoire' },
      { line: 4, message: expect.stringMatching(/^service « marine » inconnu/) },
      { line: 5, message: 'numéro « 27 00 / 00 » : numéro ou adresse SIP invalide' },
      { line: 6, message: 'touche d’appel rapide « 0 » invalide (1 à 9, ou vide)' },
      { line: 7, message: 'touche 1 déjà donnée ligne 2' },
      { line: 8, message: '« sdis » figure déjà ligne 2' },
      { line: 9, message: '3 champ(s) au lieu de 5' },
      { line: 10, message: 'notes : 1000 caractères au plus' },
      { line: 11, message: 'numéro obligatoire' },
    ]);
  });

  it('refuses a wrong header, an empty body, an open quote and too many rows', () => {
    expect(errorsOf('name;phone\nA;1\n')[0]?.message).toMatch(/colonne\(s\) manquante\(s\) : nom, service, numero/);
    expect(errorsOf(`${HEAD}\n`)[0]).toEqual({ line: 1, message: 'aucune ligne après l’en-tête' });
    expect(errorsOf(`${HEAD}\nA;sdis;1;;"pas fini\n`)[0]).toEqual({
      line: 2,
      message: 'guillemet ouvert jamais refermé',
    });
    const many = [HEAD, ...Array.from({ length: MAX_DIRECTORY_ROWS + 1 }, (_, i) => `E${i};autre;${i};;`)].join('\n');
    expect(errorsOf(many)[0]?.message).toBe(
      `${MAX_DIRECTORY_ROWS + 1} lignes : ${MAX_DIRECTORY_ROWS} au plus par import`,
    );
  });

  it('exports in its own format: the export imports back to the same rows', () => {
    const entries = [
      {
        id: 'a',
        name: 'Mairie; "astreinte"',
        category: 'mairie' as const,
        number: '000010',
        notes: 'deux\nlignes',
        speedDial: 3,
      },
      { id: 'b', name: 'Réseau', category: 'reseaux' as const, number: '000012', notes: '', speedDial: null },
    ].map((e) => ({ ...e, updatedAt: 0, updatedBy: 'X' }));
    const parsed = parseDirectoryCsv(formatDirectoryCsv(entries));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const fields = (r: {
      name: string;
      category: string;
      number: string;
      notes: string;
      speedDial: number | null;
    }) => ({
      name: r.name,
      category: r.category,
      number: r.number,
      notes: r.notes,
      speedDial: r.speedDial,
    });
    expect(parsed.rows.map(fields)).toEqual(entries.map(fields));
  });
});
