import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS } from '../../contract/logbook.js';
import { VigieError } from '../../contract/result.js';
import { loadCommunes } from './communes.js';
import { entryPayloadSchema, readEntryPayload } from './event-types.js';
import { csvField, csvRow } from './export/csv.js';
import { buildMatchQuery } from './fts.js';
import { randomBytes } from 'node:crypto';
import { checkPin, hashPin } from './pin.js';
import { may } from './roles.js';
import { checkEntryText, countChars } from './text.js';
import { isLate, noumeaDay } from './time.js';

describe('entry text', () => {
  it('accepts exactly the limit in code points and refuses one more with a French message', () => {
    const emoji = '🚒';
    expect(emoji.length).toBe(2);
    expect(countChars(emoji.repeat(MAX_TEXT_CHARS))).toBe(MAX_TEXT_CHARS);
    expect(checkEntryText(emoji.repeat(MAX_TEXT_CHARS))).toHaveLength(MAX_TEXT_CHARS * 2);
    expect(() => checkEntryText('a'.repeat(MAX_TEXT_CHARS + 1))).toThrow(
      /Texte trop long : 4\s001 caractères pour 4\s000 au plus/,
    );
    expect(() => checkEntryText('  \n ')).toThrow(VigieError);
  });
  it('normalises to NFC so that the same word is stored the same way', () => {
    expect(checkEntryText('De\u0301part  ')).toBe('Départ');
  });
});

describe('buildMatchQuery', () => {
  it('quotes every word, prefixes the last, drops FTS5 syntax', () => {
    expect(buildMatchQuery('depart Koné')).toBe('"depart" "Koné"*');
    expect(buildMatchQuery('a OR b) NEAR(')).toBe('"a" "OR" "b" "NEAR"*');
    expect(buildMatchQuery('" * ( ) ^')).toBeNull();
    expect(buildMatchQuery('x')).toBe('"x"');
  });
});

describe('PIN', () => {
  it('is stored as a scrypt verifier keyed by the PIN key, and checked only with that key', async () => {
    const key = randomBytes(32);
    const stored = await hashPin('1234', key);
    expect(stored).toMatch(/^scrypt-k1\$[0-9a-f]{8}\$32768\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(stored).not.toContain('1234');
    expect(await hashPin('1234', key)).not.toBe(stored);
    expect(await checkPin('1234', stored, key)).toBe('ok');
    expect(await checkPin('1235', stored, key)).toBe('wrong');
    // The database alone (without the key file) cannot check a guess: another key is told apart.
    expect(await checkPin('1234', stored, randomBytes(32))).toBe('other_key');
    // Unkeyed hashes of earlier versions, garbage and forged costs are not usable.
    expect(await checkPin('1234', `scrypt$${'00'.repeat(16)}$${'00'.repeat(32)}`, key)).toBe('unusable');
    expect(await checkPin('1234', 'garbage', key)).toBe('unusable');
    expect(await checkPin('1234', stored.replace('$32768$', '$1073741824$'), key)).toBe('unusable');
  });
});

describe('roles', () => {
  it('lets only the chef de salle open or close a shift; chef and technicien start drills', () => {
    expect(may('chef_de_salle', 'openCloseShift')).toBe(true);
    expect(may('operateur', 'openCloseShift')).toBe(false);
    expect(may('technicien', 'openCloseShift')).toBe(false);
    expect(may('technicien', 'startDrill')).toBe(true);
    expect(may('operateur', 'startDrill')).toBe(false);
    expect(may('operateur', 'writeLogbook')).toBe(true);
  });
});

describe('logbook.entry payload as the projection reads it', () => {
  it('is what the schema gives, with or without blanks to trim, unknown fields kept; refused the same way', () => {
    const valid: unknown[] = [
      { text: 'Départ VSAV', category: 'intervention' },
      { text: '  Départ VSAV \n', category: ' appel ' },
      { text: 'Retour', category: 'information', important: true, factAt: '2026-11-29T10:00:00+11:00' },
      { text: 'Rectificatif', category: 'information', correctsId: '01900000-0000-7000-8000-000000000000' },
      { text: 'Appel', category: 'appel', callId: 'c1', shiftId: 's1', operationId: 'o1', position: 'POSTE-1' },
      { text: 'Champ futur', category: 'information', later: { kept: [1, 2] } },
    ];
    for (const payload of valid) expect(readEntryPayload(payload)).toEqual(entryPayloadSchema.parse(payload));
    expect(readEntryPayload(valid[1])).toMatchObject({ text: 'Départ VSAV', category: 'appel' });
    for (const payload of [
      null,
      [],
      { text: '', category: 'appel' },
      { text: '   ', category: 'appel' },
      { text: 'x' },
    ])
      expect(() => readEntryPayload(payload)).toThrow();
  });
});

describe('time', () => {
  it('cuts days at midnight in Nouméa (UTC+11)', () => {
    expect(noumeaDay(Date.parse('2026-11-29T12:59:59Z'))).toBe('2026-11-29');
    expect(noumeaDay(Date.parse('2026-11-29T13:00:00Z'))).toBe('2026-11-30');
    expect(isLate(120_000, 0)).toBe(true);
    expect(isLate(60_000, 0)).toBe(false);
  });

  it('gives the zone database’s day at every instant, across offset changes that do not fall on the hour', () => {
    // The day is kept per UTC hour (time.ts): compare with a formatter of our own, minute by minute around
    // Nouméa's switch from local mean time (UTC+11:05:48, 1912) and across the 1996–1997 summer time.
    const reference = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Noumea', dateStyle: 'short' });
    const ranges: [string, string, number][] = [
      ['1911-12-30T00:00:00Z', '1912-01-03T00:00:00Z', 60_000],
      ['1996-11-25T00:00:00Z', '1997-03-10T00:00:00Z', 7 * 60_000 + 13_000],
      ['2026-11-28T00:00:00Z', '2026-12-02T00:00:00Z', 60_000],
    ];
    let mismatches = 0;
    let days = 0;
    for (const [from, to, step] of ranges) {
      const seen = new Set<string>();
      for (let ms = Date.parse(from); ms < Date.parse(to); ms += step) {
        const day = noumeaDay(ms);
        seen.add(day);
        if (day !== reference.format(new Date(ms))) mismatches += 1;
      }
      days += seen.size;
    }
    expect(mismatches).toBe(0);
    expect(days).toBeGreaterThan(100);
  });
});

describe('CSV (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks, doubles quotes, ends rows with CRLF', () => {
    expect(csvField('simple')).toBe('simple');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('dit "non"')).toBe('"dit ""non"""');
    expect(csvField('l1\nl2')).toBe('"l1\nl2"');
    expect(csvRow(['a', 'b c'])).toBe('a,b c\r\n');
  });
});

describe('communes', () => {
  it('lists the 33 communes with their province', () => {
    const communes = loadCommunes();
    expect(communes).toHaveLength(33);
    expect(new Set(communes.map((c) => c.id)).size).toBe(33);
    expect(communes.filter((c) => c.province === 'Îles Loyauté').map((c) => c.name)).toEqual([
      'Lifou',
      'Maré',
      'Ouvéa',
    ]);
    expect(communes.find((c) => c.name === 'Nouméa')?.province).toBe('Sud');
    expect(communes.find((c) => c.name === 'Koné')?.province).toBe('Nord');
  });
});
