import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogbookEntry } from '../../contract/logbook.js';
import { VigieError } from '../../contract/result.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { moduleSchemas } from '../modules.js';
import { openStore } from '../store/index.js';
import type { LogbookService, LogbookServiceEvent } from './index.js';
import { createLogbookService, LIVE_ENTRIES } from './service.js';
import { DEFAULT_DIRECTORATE } from '../config.js';
import { signInAs } from '../../testing/roster.js';

const dirs: string[] = [];
const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0).reverse()) c();
  for (const d of dirs.splice(0)) removeDataDir(d);
});

/** A wall clock the test moves; the store's HLC and the service read the same one. */
const clock = (start: string) => {
  let t = Date.parse(start);
  return { now: () => t, set: (iso: string) => (t = Date.parse(iso)), advance: (ms: number) => (t += ms) };
};

const setup = (start = '2026-11-29T01:00:00Z', dir = mkdtempSync(join(tmpdir(), 'vigie-logbook-'))) => {
  if (!dirs.includes(dir)) dirs.push(dir);
  const c = clock(start);
  const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false, now: c.now });
  const events: LogbookServiceEvent[] = [];
  const service = createLogbookService(store, {
    positionName: 'POSTE-1',
    directorate: DEFAULT_DIRECTORATE,
    now: c.now,
    exportDir: join(dir, 'exports'),
    pinKeyFile: join(dir, 'pin.key'),
    emit: (e) => events.push(e),
  });
  // In the core the module's reactor forwards committed events; here the test wires it directly.
  const offForward = store.onAppend(service.forward);
  closers.push(
    () => store.close(),
    () => offForward(),
  );
  return { dir, store, service, clock: c, events, h: service.handlers };
};

const expectVigieError = (fn: () => unknown, code: string, message?: RegExp): void => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VigieError);
    expect((error as VigieError).code).toBe(code);
    if (message !== undefined) expect((error as VigieError).message).toMatch(message);
    return;
  }
  throw new Error('aucune erreur levée');
};

const signInChef = (service: LogbookService) => signInAs(service, 'Marie Wamytan', 'chef_de_salle');
const append = (
  service: LogbookService,
  text: string,
  extra: Partial<Parameters<LogbookService['handlers']['logbook.append']>[0]> = {},
): LogbookEntry => service.handlers['logbook.append']({ text, category: 'information', ...extra }) as LogbookEntry;

describe('entries', () => {
  it('numbers per position and per day in Nouméa, never reuses a number, flags late entries, stable on rebuild', async () => {
    const { service, store, clock: c } = setup('2026-11-29T12:58:00Z'); // 23:58 in Nouméa
    await signInChef(service);
    const a = append(service, 'Première');
    const b = append(service, 'Deuxième', { factAt: '2026-11-29T12:30:00Z' });
    c.set('2026-11-29T13:00:30Z'); // 00:00:30 the next day in Nouméa
    const d = append(service, 'Après minuit');
    expect([a.day, a.number, b.number, d.day, d.number]).toEqual(['2026-11-29', 1, 2, '2026-11-30', 1]);
    expect(a.reference).toBe('2026-11-29 n° 1 (POSTE-1)');
    expect(b.late).toBe(true);
    expect(a.late).toBe(false);
    expect(b.factAt).toBe('2026-11-29T12:30:00.000Z');
    expect(b.writtenAt).toBe('2026-11-29T12:58:00.000Z');
    expectVigieError(
      () => append(service, 'futur', { factAt: '2026-11-29T14:00:00Z' }),
      'invalid_argument',
      /postérieure/,
    );
    expectVigieError(() => append(service, 'x'.repeat(4001)), 'invalid_argument', /Texte trop long/);
    expectVigieError(() => append(service, 'x', { category: 'inconnue' }), 'invalid_argument', /Catégorie inconnue/);
    const before = store.db
      .prepare('SELECT event_id, day, day_no, at_ms, fact_ms FROM logbook_entries ORDER BY entry_no')
      .all();
    store.rebuild();
    expect(
      store.db.prepare('SELECT event_id, day, day_no, at_ms, fact_ms FROM logbook_entries ORDER BY entry_no').all(),
    ).toEqual(before);
    expect(service.handlers['logbook.search']({ query: 'minuit' })).toMatchObject({ entries: [{ id: d.id }] });
  });

  it('numbers the entries of `vigie append` (no position, no session) in the same sequence', async () => {
    const { service, store } = setup();
    store.append('logbook.entry', { text: 'ligne de commande', category: 'information' }, 'cli');
    await signInChef(service);
    const e = append(service, 'suivante');
    expect(e.number).toBe(2);
    const page = service.handlers['logbook.list']({}) as { entries: LogbookEntry[] };
    expect(page.entries.map((x) => x.number)).toEqual([2, 1]);
    expect(page.entries[1]?.author).toBe('cli');
  });

  it('corrects by a new entry linked both ways; the original is never changed and the log refuses edits', async () => {
    const { service, store, events } = setup();
    await signInChef(service);
    const original = append(service, 'VSAV engagé à Koné', { important: true });
    const correction = service.handlers['logbook.correct']({
      entryId: original.id,
      text: 'VSAV engagé à Koumac',
    }) as LogbookEntry;
    expect(correction).toMatchObject({
      kind: 'correction',
      corrects: original.id,
      correctsReference: original.reference,
      number: 2,
      important: true,
      category: 'information',
    });
    const after = service.handlers['logbook.get']({ entryId: original.id }) as LogbookEntry;
    expect(after.text).toBe('VSAV engagé à Koné');
    expect(after.correctedBy).toEqual([{ id: correction.id, reference: correction.reference }]);
    // Live: the correction, then the original shown as corrected.
    const live = events
      .filter((e) => e.type === 'logbook.entry')
      .map((e) => (e.type === 'logbook.entry' ? [e.entry.id, e.entry.correctedBy.length] : null));
    expect(live.slice(-2)).toEqual([
      [correction.id, 0],
      [original.id, 1],
    ]);
    expectVigieError(() => service.handlers['logbook.correct']({ entryId: 'absent', text: 'x' }), 'not_found');
    expect(() => store.db.prepare(`UPDATE events SET payload = '{}' WHERE id = ?`).run(original.id)).toThrow(
      /ajout seul/,
    );
    expect(() => store.db.prepare('DELETE FROM events').run()).toThrow(/ajout seul/);
    // No request of the contract edits or deletes an entry.
    expect(Object.keys(service.handlers).filter((m) => /update|edit|delete|remove/i.test(m))).toEqual([]);
    store.rebuild();
    expect((service.handlers['logbook.get']({ entryId: original.id }) as LogbookEntry).correctedBy).toHaveLength(1);
  });
});

describe('live updates', () => {
  it('sends a room’s pace of entries one by one, and a burst as one reload after it', async () => {
    const { service, store, events } = setup();
    await signInChef(service);
    const sent = () => events.filter((e) => e.type === 'logbook.entry').length;
    const stale = () => events.filter((e) => e.type === 'logbook.stale').length;
    append(service, 'Premier');
    expect(sent()).toBe(1);
    // A replicated page: thousands of entries committed at once.
    store.appendAll(
      Array.from({ length: 2000 }, (_, i) => ({
        type: 'logbook.entry',
        payload: { text: `Entrée répliquée ${i}`, category: 'information' },
        author: 'POSTE-2',
      })),
    );
    expect(sent()).toBe(LIVE_ENTRIES.max);
    expect(stale()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, LIVE_ENTRIES.trailingMs + 50));
    expect(stale()).toBe(1);
    // Once the burst is a window old, entries go one by one again.
    await new Promise((resolve) => setTimeout(resolve, LIVE_ENTRIES.windowMs));
    append(service, 'Après la rafale');
    expect(sent()).toBe(LIVE_ENTRIES.max + 1);
    expect(stale()).toBe(1);
  });
});

describe('search', () => {
  it('is accent-insensitive, prefix on the last word, combined with filters', async () => {
    const { service, h } = setup();
    await signInChef(service);
    const op = h['operation.create']({ title: 'Feu de brousse', type: 'feu de brousse', communeId: 'boulouparis' }) as {
      operationId: string;
    };
    const a = append(service, 'Départ du CCF de Boulouparis', {
      operationId: op.operationId,
      category: 'moyens engagés',
    });
    const b = append(service, 'Retour au centre après départ', { important: true });
    append(service, 'Rien à signaler');
    const ids = (q: string, filters = {}) =>
      (h['logbook.search']({ query: q, filters }) as { entries: LogbookEntry[] }).entries.map((e) => e.id);
    expect(ids('depart')).toEqual([b.id, a.id]);
    expect(ids('DÉPART boulou')).toEqual([a.id]);
    expect(ids('depart', { important: true })).toEqual([b.id]);
    expect(ids('depart', { operationId: op.operationId })).toEqual([a.id]);
    expect(ids('depart', { category: 'moyens engagés' })).toEqual([a.id]);
    expect(ids('depart', { author: 'Marie Wamytan' })).toHaveLength(2);
    expect(ids('depart', { author: 'Personne' })).toEqual([]);
    expect(ids('depart', { from: '2030-01-01T00:00:00Z' })).toEqual([]);
    expect(ids('" * ( )')).toHaveLength(3 + 1); // nothing searchable: plain list (3 entries + the operation's)
    expect(ids('NEAR(')).toEqual([]); // FTS5 syntax is searched as a word, never a syntax error
    const paged = h['logbook.search']({ query: 'depart', limit: 1 }) as { entries: LogbookEntry[]; cursor: number };
    expect(paged.entries.map((e) => e.id)).toEqual([b.id]);
    expect(
      (
        h['logbook.search']({ query: 'depart', limit: 1, before: paged.cursor }) as { entries: LogbookEntry[] }
      ).entries.map((e) => e.id),
    ).toEqual([a.id]);
  });
});

describe('shifts, handover and operations', () => {
  it('closes a shift with consignes, open operations and pending callbacks; the next team sees the handover', async () => {
    const { service, store, h } = setup();
    await signInChef(service);
    const opened = h['shift.open']({ team: ['Marie Wamytan', 'Paul'] }) as { shift: { shiftId: string } };
    expectVigieError(() => h['shift.open']({ team: ['X'] }), 'conflict', /déjà ouverte/);
    const entry = append(service, 'Dans la vacation');
    expect(entry.shiftId).toBe(opened.shift.shiftId);
    const op = h['operation.create']({ title: 'Cyclone Niko', type: 'cyclone', communeId: 'noumea' }) as {
      operationId: string;
      province: string;
    };
    expect(op.province).toBe('Sud');
    const closedOp = h['operation.create']({ title: 'Accident RT1', type: 'accident', communeId: 'la-foa' }) as {
      operationId: string;
    };
    h['operation.close']({ operationId: closedOp.operationId, summary: 'Voie dégagée' });
    expectVigieError(() => h['operation.close']({ operationId: closedOp.operationId }), 'conflict');
    expectVigieError(
      () => h['operation.create']({ title: 'x', type: 'autre', communeId: 'paris' }),
      'invalid_argument',
      /Commune inconnue/,
    );
    // A pending callback from the calls module's projection (its own events and tables).
    store.append('call.offered', callOffered('c1'), 'vigie');
    store.append('call.ended', { callId: 'c1', cause: 'abandoned', at: Date.parse('2026-11-29T01:00:00Z') }, 'vigie');
    const shift = h['shift.close']({ consignes: 'Surveiller la houle à Ouvéa.' }) as {
      handover: { openOperations: { title: string }[]; pendingCallbacks: { number: string }[] };
    };
    expect(shift.handover.openOperations.map((o) => o.title)).toEqual(['Cyclone Niko']);
    expect(shift.handover.pendingCallbacks.map((c) => c.number)).toEqual(['+687 27 00 00']);
    expect(h['shift.current']({})).toBeNull();
    const next = h['shift.open']({ team: ['Équipe B'] }) as { lastHandover: { handover: { consignes: string } } };
    expect(next.lastHandover.handover.consignes).toBe('Surveiller la houle à Ouvéa.');
    const kinds = (h['logbook.list']({}) as { entries: LogbookEntry[] }).entries.map((e) => e.kind).reverse();
    expect(kinds).toEqual([
      'shift.open',
      'entry',
      'operation.open',
      'operation.open',
      'operation.close',
      'shift.close',
      'shift.open',
    ]);
    const handoverEntry = (
      h['logbook.list']({ filters: { shiftId: opened.shift.shiftId } }) as { entries: LogbookEntry[] }
    ).entries[0];
    expect(handoverEntry?.text).toContain('Cyclone Niko');
    expect(handoverEntry?.text).toContain('+687 27 00 00');
    const chrono = h['operation.chronology']({ operationId: closedOp.operationId }) as { entries: LogbookEntry[] };
    expect(chrono.entries.map((e) => e.kind)).toEqual(['operation.open', 'operation.close']);
    expect(chrono.entries[1]?.text).toContain('Voie dégagée');
    expect((h['operation.list']({ status: 'ouverte' }) as unknown[]).length).toBe(1);
    expect((h['operation.communes']({}) as unknown[]).length).toBe(33);
  });
});

const callOffered = (callId: string) => ({
  callId,
  sipCallId: `sip-${callId}`,
  direction: 'in',
  line: { number: '18', label: 'Pompiers 18', priority: 1, configured: true },
  caller: { number: '+687 27 00 00', name: null },
  at: Date.parse('2026-11-29T00:59:00Z'),
});

describe('export', () => {
  it('writes a CSV with BOM and RFC 4180 quoting, and a PDF with every entry, corrections and the last event hash', async () => {
    const { service, store, events } = setup();
    await signInChef(service);
    const a = append(service, 'Texte avec, virgule et "guillemets"\nsur deux lignes');
    service.handlers['logbook.correct']({ entryId: a.id, text: 'Rectifié' });
    const last = append(service, 'Île-des-Pins : fin');
    const csv = await service.exportLogbook({ format: 'csv' });
    const bytes = readFileSync(csv.file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('"Texte avec, virgule et ""guillemets""\nsur deux lignes"');
    expect(text.split('\r\n').filter((l) => l !== '').length).toBe(1 + 3); // header + 3 entries (the LF inside a quoted field is not a record end)
    expect(csv).toMatchObject({ entries: 3, lastEventHash: last.eventHash });
    const pdf = await service.exportLogbook({ format: 'pdf' });
    const pdfText = execFileSync('pdftotext', ['-layout', pdf.file, '-'], { encoding: 'utf8' });
    expect(pdfText).toContain('SHA-256 du dernier événement couvert :');
    expect(pdfText).toMatch(new RegExp(`^\\s*${last.eventHash}\\s*$`, 'm'));
    expect(pdfText).toContain('page 1 / 1');
    expect(pdfText).toContain('RECTIFIÉE');
    expect(pdfText).toContain('Île-des-Pins : fin');
    expect(events.some((e) => e.type === 'export.progress')).toBe(true);
    expect(events.some((e) => e.type === 'export.finished')).toBe(true);
    expect(store.count()).toBeGreaterThan(0);
  });

  it(
    'exports 10 000 entries: the PDF text holds every number, the CSV has 10 000 rows',
    { timeout: 120_000 },
    async () => {
      const { service, store } = setup();
      await signInChef(service);
      const items = Array.from({ length: 10_000 }, (_, i) => ({
        type: 'logbook.entry',
        payload: {
          text: `Inscription de charge numéro ${i + 1} — ligne 18, Nouméa.`,
          category: 'information',
          position: 'POSTE-1',
        },
        author: 'Marie Wamytan',
      }));
      for (let i = 0; i < items.length; i += 1000) store.appendAll(items.slice(i, i + 1000));
      const csv = await service.exportLogbook({ format: 'csv' });
      const rows = readFileSync(csv.file, 'utf8')
        .split('\r\n')
        .filter((l) => l !== '');
      expect(rows.length).toBe(10_001);
      let progressCalls = 0;
      const pdf = await service.exportLogbook({ format: 'pdf' }, () => (progressCalls += 1));
      expect(progressCalls).toBeGreaterThan(10);
      const text = execFileSync('pdftotext', [pdf.file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      const numbers = new Set([...text.matchAll(/n° (\d+)/g)].map((m) => Number(m[1])));
      const missing = Array.from({ length: 10_000 }, (_, i) => i + 1).filter((n) => !numbers.has(n));
      expect(missing).toEqual([]);
    },
  );
});

describe('migration 0004 over a database written with 0002 only', () => {
  it('numbers the existing entries and indexes them for search', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-logbook-'));
    dirs.push(dir);
    const { store } = setup('2026-11-29T01:00:00Z', dir);
    store.append('logbook.entry', { text: 'Déjà là', category: 'information' }, 'x');
    const n = store.db.prepare('SELECT day, day_no FROM logbook_entries').get() as { day: string; day_no: number };
    expect(n).toEqual({ day: '2026-11-29', day_no: 1 });
    // The backfill SQL of the migration computes the same day as the projection for Nouméa.
    const db = new Database(':memory:');
    expect(
      (
        db.prepare(`SELECT date(? / 1000, 'unixepoch', '+11 hours') AS d`).get(Date.parse('2026-11-29T13:00:00Z')) as {
          d: string;
        }
      ).d,
    ).toBe('2026-11-30');
    db.close();
  });
});
