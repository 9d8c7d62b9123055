import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type LabInfo } from '../../lab/index.js';
import { provision } from '../../testing/roster.js';
import { createCore, type Core } from '../index.js';
import { coreModules } from '../modules.js';
import { labTelephonyConfig } from '../telephony/config.js';
import { callCore as call, until } from '../../testing/core-helpers.js';

// A simulated drill end to end against a real Kamailio on 127.0.0.1: the console cuts its own SIP transport
// (the registrar keeps running), the health module sees the loss, the operator acts, the technicien lifts
// the cut, the console re-registers by itself, and the report's figures are recomputed here from the events.
const root = mkdtempSync(join(tmpdir(), 'vigie-drills-lab-'));
let lab: LabInfo | null = null;
let core: Core | null = null;
let dataDir = '';

afterAll(async () => {
  await core?.close();
  if (lab !== null) await labDown({ dir: lab.dir }).catch(() => undefined);
  // The data directories are inside root, and so are the keys kept beside them (testing/data-dir.ts).
  rmSync(root, { recursive: true, force: true });
});

describe('a simulated drill with a real Kamailio', () => {
  it('cuts only the console’s own SIP transport, marks the whole timeline and reports what the events say', async () => {
    lab = await labUp({ dir: join(root, 'lab') });
    dataDir = join(root, 'data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, 'vigie.json'),
      JSON.stringify({ positionName: 'POSTE-1', health: { minFreeDiskMiB: 1 } }),
    );
    await provision(dataDir, [
      { name: 'Sonia Chef', role: 'chef_de_salle', pin: '2580' },
      { name: 'Marc', role: 'operateur' },
    ]);
    const telephony = {
      ...labTelephonyConfig(lab, '1001'),
      media: 'null' as const,
      pingIntervalMs: 300,
      pongTimeoutMs: 600,
      connectTimeoutMs: 1_000,
      backoff: { initialMs: 100, maxMs: 800 },
    };
    const c = await createCore({ dataDir, log: () => {} }, coreModules({ telephony: { config: telephony } }));
    core = c;
    await c.started;
    await until(
      'enregistré',
      () => c.status().telephony.state,
      (s) => s === 'registered',
      15_000,
    );
    const users = await call(c, 'users.list', {});
    const id = (name: string) => users.find((u) => u.name === name)?.userId ?? '';

    await call(c, 'session.signIn', { userId: id('Sonia Chef'), pin: '2580' });
    const drill = await call(c, 'drills.start', { scenario: 'telephony', mode: 'simulated' });
    expect(drill.cutActive).toBe(true);
    await until(
      'DEGRADED',
      () => call(c, 'health.get', {}),
      (h) => h.phase === 'degraded',
      10_000,
    );
    // The stack holds itself down: still lost a few reconnection rounds later, though Kamailio runs.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(c.status().telephony.state).not.toBe('registered');

    await call(c, 'session.signIn', { userId: id('Marc') });
    await call(c, 'health.acknowledge', {});
    await call(c, 'health.recordManualCall', { line: '112', callerNumber: '', nature: 'Malaise', means: 'gsm' });
    await call(c, 'health.recordManualCall', {
      line: '18',
      callerNumber: '0687 11 22 33',
      nature: 'Feu',
      means: 'gsm',
    });
    expect(await c.request('drills.restore', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    await call(c, 'session.signIn', { userId: id('Sonia Chef'), pin: '2580' });
    expect((await call(c, 'drills.restore', {})).cutActive).toBe(false);
    await until(
      'réenregistré',
      () => c.status().telephony.state,
      (s) => s === 'registered',
      15_000,
    );
    await until(
      'NOMINAL',
      () => call(c, 'health.get', {}),
      (h) => h.phase === 'nominal',
      15_000,
    );
    await c.settled();
    const report = await call(c, 'drills.stop', {});
    await c.settled();

    // Recomputed from the events alone.
    const db = new Database(join(dataDir, 'vigie.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT seq, type, payload FROM events ORDER BY seq').all() as {
        seq: number;
        type: string;
        payload: string;
      }[];
      const first = (type: string): { seq: number; at: number } => {
        const row = rows.find((r) => r.type === type);
        if (row === undefined) throw new Error(`${type} absent`);
        return { seq: row.seq, at: (JSON.parse(row.payload) as { at: number }).at };
      };
      const t0 = first('drill.started').at;
      expect(report.durations).toEqual({
        t0: 0,
        detect: first('health.degraded').at - t0,
        ack: first('health.acknowledged').at - t0,
        firstManual: first('call.manual').at - t0,
        restore: first('health.recovering').at - t0,
        recovered: first('health.nominal').at - t0,
      });
      const span = rows.filter((r) => r.seq >= first('drill.started').seq && r.seq <= first('drill.ended').seq);
      expect(report.counts.manualCalls).toBe(span.filter((r) => r.type === 'call.manual').length);
      expect(report.counts.manualCalls).toBe(2);
      expect(report.integrity).toMatchObject({ ok: true, events: span.length });
      const lostAt = first('telephony.lost');
      expect(lostAt.seq).toBeGreaterThan(first('drill.started').seq);
    } finally {
      db.close();
    }
    const texts = (await call(c, 'logbook.list', {})).entries.map((e) => e.text);
    expect(texts.some((t) => t.startsWith('EXERCICE — Perte de la téléphonie IP'))).toBe(true);
    expect(texts.some((t) => t.startsWith('EXERCICE — fin de la coupure simulée'))).toBe(true);
    process.stdout.write(
      `exercice simulé : détection T0 + ${report.durations.detect} ms, rétabli T0 + ${report.durations.recovered} ms\n`,
    );
  }, 90_000);
});
