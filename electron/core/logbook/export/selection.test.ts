/**
 * An export holds what the list showed: the words searched and the filters (issue 10, item 11), and the
 * CSV names roles in French from the contract's one table.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLE_LABELS } from '../../../contract/session.js';
import { appendText, logbookFixturePerTest } from '../../../testing/logbook-service.js';
import { signInAs } from '../../../testing/roster.js';

const openFixture = logbookFixturePerTest();

const csvLines = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\r\n')
    .filter((l) => l !== '');

describe('export of a search', () => {
  it('holds only the entries the search found, with the filters, in the CSV and the PDF', async () => {
    const { service } = openFixture();
    await signInAs(service, 'Marie Wamytan', 'chef_de_salle');
    appendText(service, 'Départ du VSAV de Koné');
    appendText(service, 'Route coupée à Thio');
    appendText(service, 'Retour du VSAV de Koné', { category: 'action' });
    appendText(service, 'Koné : fin de l’intervention', { category: 'action' });
    appendText(service, 'Point météo');
    const page = service.handlers['logbook.search']({ query: 'kone' });
    expect('entries' in page && page.entries.length).toBe(3);

    const csv = await service.exportLogbook({ format: 'csv', query: 'kone' });
    expect(csv.entries).toBe(3);
    const lines = csvLines(csv.file);
    expect(lines.length).toBe(1 + 3);
    expect(lines.some((l) => l.includes('Thio'))).toBe(false);

    const filtered = await service.exportLogbook({ format: 'csv', query: 'kone', filters: { category: 'action' } });
    expect(filtered.entries).toBe(2);
    expect(
      csvLines(filtered.file)
        .slice(1)
        .every((l) => l.includes(',action,')),
    ).toBe(true);

    const pdf = await service.exportLogbook({ format: 'pdf', query: 'kone' });
    expect(pdf.entries).toBe(3);
    const text = execFileSync('pdftotext', ['-layout', pdf.file, '-'], { encoding: 'utf8' });
    expect(text).toContain('recherche « kone »');
    expect(text).not.toContain('Route coupée à Thio');
    expect(text).not.toContain('Point météo');
    expect(text).toContain('Retour du VSAV de Koné');

    // Nothing typed that can be searched: the whole (filtered) log, as the list shows it.
    expect((await service.exportLogbook({ format: 'csv', query: '  ' })).entries).toBe(5);
  });
});

describe('CSV role labels', () => {
  it('writes « chef de salle » and « opérateur », never the codes', async () => {
    const { service } = openFixture();
    await signInAs(service, 'Marie Wamytan', 'chef_de_salle');
    appendText(service, 'Écrit par la cheffe de salle');
    await signInAs(service, 'Paul Néaoutyine', 'operateur');
    appendText(service, 'Écrit par l’opérateur');
    const csv = await service.exportLogbook({ format: 'csv' });
    const text = readFileSync(csv.file, 'utf8');
    expect(text).not.toMatch(/chef_de_salle|,operateur,/);
    expect(text).toContain(`,Marie Wamytan,${ROLE_LABELS.chef_de_salle.toLowerCase()},`);
    expect(text).toContain(',Paul Néaoutyine,opérateur,');
  });
});
