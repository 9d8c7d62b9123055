import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DrillMark, LogbookEntry } from '../../contract/index.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { provision } from '../../testing/roster.js';
import { createCore, type Core } from '../index.js';
import {
  callCore as call,
  closeServer as close,
  listenTcp as listen,
  portOf,
  until,
} from '../../testing/core-helpers.js';

// An observed drill on a real core and SQLite file: the technicians "cut" a configured host (a real TCP
// listener on 127.0.0.1 that the test closes), the console only records. The report's figures are then
// recomputed here from the raw events table, independently of the module's code.
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const start = async (port: number): Promise<{ core: Core; dataDir: string }> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-drills-'));
  writeFileSync(
    join(dataDir, 'vigie.json'),
    JSON.stringify({
      positionName: 'POSTE-2',
      health: {
        probeIntervalMs: 200,
        connectTimeoutMs: 500,
        failuresBeforeFault: 1,
        minFreeDiskMiB: 1,
        hosts: [{ name: 'central', host: '127.0.0.1', port }],
      },
    }),
  );
  await provision(dataDir, [
    { name: 'Marc Technicien', role: 'technicien', pin: '8642' },
    { name: 'Léa Opératrice', role: 'operateur' },
  ]);
  const core = await createCore({ dataDir, log: () => {} });
  cleanup.push(() => {
    removeDataDir(dataDir);
  });
  cleanup.push(() => core.close());
  await core.started;
  return { core, dataDir };
};

const signIn = async (core: Core, name: string, pin?: string): Promise<void> => {
  const user = (await call(core, 'users.list', {})).find((u) => u.name === name);
  await call(core, 'session.signIn', { userId: user?.userId ?? '', ...(pin === undefined ? {} : { pin }) });
};

describe('drills module', () => {
  it('an observed drill: refused to an operator, timeline marked from the log, report matching the events', async () => {
    let server = await listen();
    const port = portOf(server);
    const { core, dataDir } = await start(port);
    await until(
      'réseau en ligne',
      () => core.status().network.state,
      (s) => s === 'online',
    );

    await signIn(core, 'Léa Opératrice');
    expect(await core.request('drills.start', { scenario: 'network', mode: 'observed' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await signIn(core, 'Marc Technicien', '8642');
    // The console cannot cut the media relay by itself: said plainly, nothing started.
    expect(await core.request('drills.start', { scenario: 'media-relay', mode: 'simulated' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', message: expect.stringContaining('mode observé') },
    });
    const drill = await call(core, 'drills.start', { scenario: 'network', mode: 'observed' });
    expect(await core.request('drills.start', { scenario: 'network', mode: 'observed' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });

    await close(server); // the technicians' real cut
    await until(
      'DEGRADED',
      () => call(core, 'health.get', {}),
      (h) => h.phase === 'degraded',
    );
    await core.settled();
    await call(core, 'health.acknowledge', {});
    await call(core, 'health.recordManualCall', { line: '18', callerNumber: '', nature: 'Feu', means: 'radio' });
    await call(core, 'logbook.append', { text: 'Message radio du CIS Bourail', category: 'appel' });
    server = await listen(port);
    cleanup.push(() => close(server));
    await until(
      'NOMINAL',
      () => call(core, 'health.get', {}),
      (h) => h.phase === 'nominal',
    );
    await core.settled();
    const report = await call(core, 'drills.stop', {});
    await core.settled();

    // Recomputed from the events table alone.
    const db = new Database(join(dataDir, 'vigie.db'), { readonly: true });
    cleanup.push(() => void db.close());
    const events = db
      .prepare(
        "SELECT seq, type, author, payload FROM events WHERE type LIKE 'drill.%' OR type LIKE 'health.%' OR type IN ('call.manual', 'logbook.entry') ORDER BY seq",
      )
      .all() as { seq: number; type: string; author: string; payload: string }[];
    const payloadOf = (type: string) => {
      const row = events.find((e) => e.type === type);
      return row === undefined ? undefined : (JSON.parse(row.payload) as { at: number });
    };
    const t0 = payloadOf('drill.started')?.at ?? NaN;
    const marks = Object.fromEntries(
      events
        .filter((e) => e.type === 'drill.marked')
        .map((e) => JSON.parse(e.payload) as { mark: DrillMark; at: number })
        .map((m) => [m.mark, m.at - t0]),
    );
    expect(marks['detect']).toBe((payloadOf('health.degraded')?.at ?? NaN) - t0);
    expect(marks['ack']).toBe((payloadOf('health.acknowledged')?.at ?? NaN) - t0);
    expect(marks['firstManual']).toBe((payloadOf('call.manual')?.at ?? NaN) - t0);
    expect(report.durations).toMatchObject(marks);
    expect(report.durations.recovered).toBe((payloadOf('health.nominal')?.at ?? NaN) - t0);
    expect(report.drill).toMatchObject({ id: drill.id, startedBy: 'Marc Technicien', endedBy: 'Marc Technicien' });
    const started = events.find((e) => e.type === 'drill.started')?.seq ?? NaN;
    const ended = events.find((e) => e.type === 'drill.ended')?.seq ?? NaN;
    const inDrill = events.filter((e) => e.seq >= started && e.seq <= ended);
    const manualEntries = inDrill.filter((e) => {
      const p = JSON.parse(e.payload) as { category?: string; position?: string };
      return e.type === 'logbook.entry' && !(p.category === 'technique' && p.position === e.author);
    });
    expect(report.counts).toMatchObject({
      manualCalls: inDrill.filter((e) => e.type === 'call.manual').length,
      entries: manualEntries.length,
    });
    expect(report.counts).toMatchObject({ manualCalls: 1, entries: 1 });
    const all = (
      db.prepare('SELECT COUNT(*) AS n FROM events WHERE seq BETWEEN ? AND ?').get(started, ended) as { n: number }
    ).n;
    expect(report.integrity).toMatchObject({ ok: true, events: all, missing: [] });

    // EXERCICE in the log: the automatic entries of the drill say so, and the report is written.
    const texts = (await call(core, 'logbook.list', {})).entries.map((e: LogbookEntry) => e.text);
    expect(texts.some((t) => t.startsWith('EXERCICE — Perte de l’hôte central'))).toBe(true);
    expect(texts.some((t) => t.startsWith('EXERCICE — début de l’exercice « Perte de tout le réseau »'))).toBe(true);
    expect(texts.some((t) => t.startsWith('EXERCICE — fin de l’exercice') && t.includes('Intégrité : conforme'))).toBe(
      true,
    );
    expect(await call(core, 'drills.current', {})).toBeNull();

    const pdf = await call(core, 'drills.report', { drillId: drill.id });
    const bytes = Buffer.from(pdf.pdfBase64, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Kept for a person to read, beside the screenshots (a CI artifact).
    const artifacts = join(import.meta.dirname, '..', '..', '..', 'dist', 'test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'drill-report-observed.pdf'), bytes);
  }, 30_000);
});
