import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArgsOf, LogbookEntry, Method, Result, ResultOf } from '../../contract/index.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { createCore, type Core } from '../index.js';
import { VOICE_EVENTS } from './index.js';

// The voice module in a real core on a real SQLite file: reports become events, a self-test an entry.
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const start = async (voice: unknown): Promise<Core> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-voice-'));
  // Before createCore: a configuration it refuses must not leave the directory behind.
  cleanup.push(() => {
    removeDataDir(dataDir);
  });
  writeFileSync(join(dataDir, 'vigie.json'), JSON.stringify({ positionName: 'POSTE-2', voice }));
  const core = await createCore({ dataDir, log: () => {} });
  cleanup.push(() => core.close());
  await core.started;
  return core;
};

// The dispatcher answers ResultOf<M> for method M (contract/index.ts); Core.request is untyped on the wire side.
const call = async <M extends Method>(core: Core, method: M, args: ArgsOf<M>): Promise<ResultOf<M>> => {
  const r = (await core.request(method, args)) as Result<ResultOf<M>>;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
  const end = Date.now() + 10_000;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('voice module in the core', () => {
  it('answers the configured thresholds, defaults filled in', async () => {
    const core = await start({ ring: { louderAfterS: 8, secondDeviceAfterS: 12 } });
    const config = await call(core, 'voice.config', {});
    expect(config.ring).toMatchObject({ louderAfterS: 8, secondDeviceAfterS: 12, volume: 0.5 });
    expect(config.watchdog.noRtpS).toBe(5);
  });

  it('refuses a second ring device that would come before the louder ring', async () => {
    await expect(start({ ring: { louderAfterS: 20, secondDeviceAfterS: 10 } })).rejects.toThrow(/secondDeviceAfterS/);
  });

  it('records device changes, alarms and quality as events', async () => {
    const core = await start({});
    const before = (core.store.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM events').get() as { seq: number })
      .seq;
    await call(core, 'voice.device', { change: 'removed', kind: 'microphone', deviceId: 'abc', label: 'USB' });
    await call(core, 'voice.alarm', { callId: 'c1', alarm: 'no-rtp', state: 'raised', forS: 5 });
    const q = { packets: 500, lossPct: 1, jitterMs: 4, rttMs: 20, delayMs: 40, r: 89.6, mos: 4.3 };
    await call(core, 'voice.quality', { callId: 'c1', durationS: 10, inbound: q, outbound: null });
    const types = core.store.db
      .prepare('SELECT type FROM events WHERE seq > ? ORDER BY seq')
      .all(before)
      .map((row) => (row as { type: string }).type);
    expect(types).toEqual([VOICE_EVENTS.device, VOICE_EVENTS.alarm, VOICE_EVENTS.quality]);
  });

  it('writes a failed self-test to the main courante, category technique, naming what failed', async () => {
    const core = await start({});
    const result = await call(core, 'voice.selfTest', {
      microphone: { ok: true, detail: '', level: 0.2 },
      headset: { ok: true, detail: '' },
      ring: { ok: false, detail: 'lecture refusée' },
      relay: { ok: true, detail: 'boucle WebRTC locale', rttMs: 3 },
    });
    expect(result.summary).toContain('ÉCHEC');
    const entries = await until(
      async () => (await call(core, 'logbook.list', {})).entries,
      (e: LogbookEntry[]) => e.length > 0,
    );
    const entry = entries.find((e) => e.text.startsWith('Auto-test audio'));
    expect(entry?.category).toBe('technique');
    expect(entry?.text).toContain('sonnerie ÉCHEC (lecture refusée)');
    expect(entry?.author).toBe('POSTE-2');
  });
});
