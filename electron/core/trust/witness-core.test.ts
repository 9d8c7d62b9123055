/**
 * The witness in a running core (issue 13 §4): a remote checkpoint applied is countersigned by the trust
 * module's service, a countersignature alone does not make the timer sign a checkpoint, and an
 * equivocation shows in the status bar (`Status.trust`) and the core log.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { until } from '../../testing/core-helpers.js';
import { allOf, useWitnessPositions } from '../../testing/witness-positions.js';
import { createCore, type Core } from '../index.js';
import { moduleSchemas } from '../modules.js';
import { openStore } from '../store/index.js';
import { CHECKPOINT, COUNTERSIGNED, TRUST_AUTHOR, countersignedPayload } from './events.js';
import { checkpointStatement, signBytes } from './signatures.js';
import { removeDataDir } from '../../testing/data-dir.js';

const { position, forked } = useWitnessPositions('vigie-witness-core-');
const cores: Core[] = [];
const dirs: string[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cores.splice(0)) await c.close();
  for (const d of dirs.splice(0)) {
    removeDataDir(d);
  }
});

const newDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-witness-core-b-'));
  dirs.push(dir);
  return dir;
};

const startCore = async (logged: string[], dir = newDir()): Promise<{ core: Core; types: () => string[] }> => {
  writeFileSync(join(dir, 'vigie.json'), JSON.stringify({ trust: { checkpointMinutes: 2 } }));
  const core = await createCore({ dataDir: dir, log: (level, message) => logged.push(`${level} ${message}`) });
  cores.push(core);
  await core.started;
  const types = (): string[] =>
    core.store.db
      .prepare('SELECT type FROM events WHERE origin = ? ORDER BY seq')
      .pluck()
      .all(core.store.origin) as string[];
  return { core, types };
};

describe('witness in the core', () => {
  it('countersigns a remote checkpoint once; the timer signs what the position wrote, never a countersignature alone', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { core, types } = await startCore([]);
    vi.advanceTimersByTime(120_000);
    expect(types()).toEqual(['trust.keyRegistered', 'trust.checkpoint']);
    const a = position();
    const fromA = (): void => {
      a.store.append('logbook.entry', { text: 'Départ VSAV', category: 'information' }, 'Marie Wamytan');
      a.trust.checkpoint('manual');
      expect(core.store.applyRemote(allOf(a.store)).refused).toEqual([]);
    };
    const countersigned = (n: number) =>
      until('contre-signature', types, (t) => t.filter((x) => x === 'trust.countersigned').length === n);
    fromA();
    await countersigned(1);
    vi.advanceTimersByTime(120_000);
    expect(types()).toEqual(['trust.keyRegistered', 'trust.checkpoint', 'trust.countersigned']);
    // An entry of its own, then a countersignature on top of it: the entry is still to be signed.
    core.store.append('logbook.entry', { text: 'Retour VSAV', category: 'information' }, 'Paul');
    fromA();
    await countersigned(2);
    vi.advanceTimersByTime(120_000);
    expect(types().slice(3)).toEqual(['logbook.entry', 'trust.countersigned', 'trust.checkpoint']);
    expect(core.status().trust).toBeUndefined();
  });

  it('at start, countersigns the newest checkpoint of each origin applied without a witness, if it verifies', async () => {
    const a = position();
    const d = position();
    for (const p of [a, d]) {
      p.store.append('logbook.entry', { text: 'Départ VSAV', category: 'information' }, 'Marie Wamytan');
      p.trust.checkpoint('manual');
    }
    // D's checkpoint signed over something else, applied as a version without remote checks would have.
    const h = d.store.db.prepare('SELECT seq, hash FROM heads WHERE origin = ?').get(d.store.origin) as {
      seq: number;
      hash: string;
    };
    const key = d.trust.ensureKey();
    const body = {
      origin: d.store.origin,
      seq: h.seq,
      headHash: h.hash,
      time: new Date().toISOString(),
      keyId: key.keyId,
      reason: 'manual' as const,
    };
    d.store.append(
      CHECKPOINT,
      { ...body, signature: signBytes(key.privateKey, checkpointStatement({ ...body, seq: 0 })) },
      TRUST_AUTHOR,
    );
    const dir = newDir();
    const unchecked = moduleSchemas().map((m) => ({
      ...m,
      eventTypes: m.eventTypes.map(({ type, schema }) => ({ type, schema })),
    }));
    const old = openStore({ dataDir: dir, modules: unchecked, backup: false });
    expect(old.applyRemote([...allOf(a.store), ...allOf(d.store)]).refused).toEqual([]);
    old.close();
    const { core, types } = await startCore([], dir);
    expect(types()).toEqual(['trust.keyRegistered', 'trust.countersigned']);
    const signed = countersignedPayload.parse(
      JSON.parse(
        core.store.db
          .prepare('SELECT payload FROM events WHERE origin = ? AND type = ?')
          .pluck()
          .get(core.store.origin, COUNTERSIGNED) as string,
      ),
    );
    expect(signed.items.map((i) => i.origin)).toEqual([a.store.origin]);
  });

  it('an equivocation shows in the status bar and the core log', async () => {
    const logged: string[] = [];
    const { core, types } = await startCore(logged);
    const [a, fork] = forked();
    const c = position();
    c.store.applyRemote(allOf(fork.store));
    await c.witness.idle();
    expect(core.store.applyRemote(allOf(a.store)).refused).toEqual([]);
    await until('contre-signature', types, (t) => t.includes('trust.countersigned'));
    expect(core.status().trust).toBeUndefined();
    // C's countersignature of the other history reaches B's core: applied (evidence), and the alarm is raised.
    expect(core.store.applyRemote(allOf(c.store)).refused).toEqual([]);
    await until(
      'alarme',
      () => core.status().trust,
      (t) => t !== undefined,
    );
    expect(core.status().trust).toEqual({
      state: 'alarm',
      detail: expect.stringMatching(
        new RegExp(
          `^ÉQUIVOQUE : le poste « Poste 2 » \\(${a.store.origin.slice(0, 8)}\\) montre des historiques différents aux autres postes`,
        ),
      ),
    });
    expect(logged.some((l) => l.startsWith(`error ÉQUIVOQUE : le poste ${a.store.origin}`))).toBe(true);
  });
});
