import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthView } from '../../contract/index.js';
import { labDown, labUp, type LabInfo } from '../../lab/index.js';
import { startTcpFaultProxy, type FaultProxy } from '../../testing/fault-proxy.js';
import { provision } from '../../testing/roster.js';
import { createCore, type Core } from '../index.js';
import { coreModules } from '../modules.js';
import { callCore as call, until } from '../../testing/core-helpers.js';

// Degraded mode against a real Kamailio on 127.0.0.1 reached through the fault proxy: the position's
// WebSocket registrar URL is the proxy's. Unlike health/lab.test.ts (Kamailio killed or hung), the server
// stays well: the route is cut (blackhole) or reset. The position keeps the production ping and pong
// timings (telephony/config.ts: ping every 2 s, pong within 1.5 s), since the bound — DEGRADED
// within 5 s — is the one they are meant to meet. The central database is not watched by the health
// module (probes.ts: local database, disk, configured hosts; the monitor's backlog is still 0), so there
// is no PostgreSQL case here.
const DETECT_BOUND_MS = 5_000;
const root = mkdtempSync(join(tmpdir(), 'vigie-health-faults-'));
let lab: LabInfo | null = null;
let proxy: FaultProxy | null = null;
let core: Core | null = null;

beforeAll(async () => {
  lab = await labUp({ dir: join(root, 'lab') });
  const target = new URL(lab.wsUrl);
  proxy = await startTcpFaultProxy({ host: target.hostname, port: Number(target.port) });
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    join(dataDir, 'vigie.json'),
    JSON.stringify({ positionName: 'POSTE-1', health: { minFreeDiskMiB: 1 } }),
  );
  await provision(dataDir, [{ name: 'Marc', role: 'operateur' }]);
  const telephony = {
    account: { aor: 'sip:1001@127.0.0.1' },
    registrars: [`ws://127.0.0.1:${proxy.port}`],
    media: 'null' as const,
  };
  core = await createCore({ dataDir, log: () => {} }, coreModules({ telephony: { config: telephony } }));
  await core.started;
  const c = core;
  await until(
    'enregistré',
    () => c.status().telephony.state,
    (s) => s === 'registered',
    15_000,
  );
}, 60_000);

afterAll(async () => {
  await core?.close();
  await proxy?.close();
  if (lab !== null) await labDown({ dir: lab.dir }).catch(() => undefined);
  // The data directory is inside root, and so are the keys kept beside it (testing/data-dir.ts).
  rmSync(root, { recursive: true, force: true });
});

const running = (): { c: Core; p: FaultProxy } => {
  if (core === null || proxy === null) throw new Error('le laboratoire n’a pas démarré');
  return { c: core, p: proxy };
};

const texts = async (c: Core): Promise<string[]> => {
  await c.settled();
  return (await call(c, 'logbook.list', {})).entries.map((e) => e.text);
};

/** Cuts the route with `mode`, returns the detection time, and checks the fault is the telephony. */
const cut = async (mode: 'blackhole' | 'reset'): Promise<number> => {
  const { c, p } = running();
  expect((await call(c, 'health.get', {})).phase).toBe('nominal');
  const cutAt = Date.now();
  p.setMode(mode);
  const degraded = await until<HealthView>(
    'DEGRADED',
    () => call(c, 'health.get', {}),
    (h) => h.phase === 'degraded',
    15_000,
  );
  const detectedMs = Date.now() - cutAt;
  expect(degraded.faults.map((f) => f.check)).toEqual(['telephony']);
  expect(c.status().network.state).toBe('offline');
  return detectedMs;
};

const restore = async (): Promise<void> => {
  const { c, p } = running();
  p.setMode('pass');
  await until(
    'NOMINAL',
    () => call(c, 'health.get', {}),
    (h) => h.phase === 'nominal',
    20_000,
  );
  expect(c.status().telephony.state).toBe('registered');
};

describe('degraded mode with the route to Kamailio cut by the fault proxy', () => {
  it('blackhole: DEGRADED within 5 s and the entry written; pass again: NOMINAL and the summary', async () => {
    const { c } = running();
    const detectedMs = await cut('blackhole');
    expect(detectedMs).toBeLessThan(DETECT_BOUND_MS);
    await c.settled();
    expect(
      (await call(c, 'logbook.list', {})).entries.filter((e) =>
        /^Perte de la téléphonie IP à \d{2}:\d{2}:\d{2}/.test(e.text),
      ),
    ).toMatchObject([{ category: 'technique', author: 'POSTE-1' }]);

    await restore();
    const after = await texts(c);
    expect(after.filter((t) => t.startsWith('Rétablissement de la téléphonie IP à '))).toHaveLength(1);
    expect(after.filter((t) => t.startsWith('Pendant la coupure'))).toEqual([
      expect.stringMatching(/^Pendant la coupure : 0 inscription, 0 appel manuel, durée \d{2}:\d{2}:\d{2}$/),
    ]);
    process.stdout.write(`détection de la coupure (trou noir) : ${detectedMs} ms\n`);
  }, 60_000);

  it('reset: DEGRADED within 5 s; pass again: NOMINAL and a second summary', async () => {
    const { c } = running();
    const detectedMs = await cut('reset');
    expect(detectedMs).toBeLessThan(DETECT_BOUND_MS);
    await c.settled();
    expect((await texts(c)).filter((t) => t.startsWith('Perte de la téléphonie IP à '))).toHaveLength(2);
    await restore();
    expect((await texts(c)).filter((t) => t.startsWith('Pendant la coupure'))).toHaveLength(2);
    process.stdout.write(`détection de la coupure (reset) : ${detectedMs} ms\n`);
  }, 60_000);
});
