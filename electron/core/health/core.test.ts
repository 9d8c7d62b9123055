import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArgsOf, CoreEvent, HealthView, LogbookEntry, Method, Result, ResultOf } from '../../contract/index.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { createCore, type Core } from '../index.js';
import { STORE_AUTHOR } from '../store/index.js';
import { provision } from '../../testing/roster.js';

// The health module in a real core on a real SQLite file, its host probe against a real TCP listener on
// 127.0.0.1, and telephony facts appended as the telephony module appends them.
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const listen = (port = 0): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
const portOf = (server: Server): number => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('pas de port');
  return address.port;
};

const until = async <T>(what: string, read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 10_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`attente dépassée : ${what} (dernier : ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const start = async (hosts: { name: string; host: string; port: number }[], dir?: string): Promise<Core> => {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'vigie-health-'));
  writeFileSync(
    join(dataDir, 'vigie.json'),
    JSON.stringify({
      positionName: 'POSTE-3',
      health: { probeIntervalMs: 200, connectTimeoutMs: 500, failuresBeforeFault: 1, minFreeDiskMiB: 1, hosts },
    }),
  );
  // The operator of the outage is on the roster, as provisioning puts them (nobody enrols at sign-in).
  if (dir === undefined) await provision(dataDir, [{ name: 'Léa', role: 'operateur' }]);
  const core = await createCore({ dataDir, log: () => {} });
  if (dir === undefined)
    cleanup.push(() => {
      removeDataDir(dataDir);
    });
  cleanup.push(() => core.close());
  await core.started;
  return core;
};

// The dispatcher answers ResultOf<M> for method M (contract/index.ts); Core.request is untyped on the wire side.
const call = <M extends Method>(core: Core, method: M, args: ArgsOf<M>) =>
  core.request(method, args) as Promise<Result<ResultOf<M>>>;

const health = async (core: Core): Promise<HealthView> => {
  const r = await call(core, 'health.get', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const entries = async (core: Core): Promise<LogbookEntry[]> => {
  const r = await call(core, 'logbook.list', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value.entries;
};
const texts = async (core: Core): Promise<string[]> => (await entries(core)).map((e) => e.text);

describe('health module in the core', () => {
  it('a host lost and back: DEGRADED, entries, acknowledgement, manual call, then NOMINAL with the summary', async () => {
    let server = await listen();
    const port = portOf(server);
    const core = await start([{ name: 'central', host: '127.0.0.1', port }]);
    const pushed: CoreEvent[] = [];
    core.onEvent((e) => pushed.push(e));
    await until(
      'réseau en ligne',
      () => core.status().network.state,
      (s) => s === 'online',
    );
    expect((await health(core)).phase).toBe('nominal');

    await close(server);
    const degraded = await until(
      'DEGRADED',
      () => health(core),
      (h) => h.phase === 'degraded',
    );
    expect(degraded.faults).toMatchObject([{ check: 'host:central', kind: 'host' }]);
    expect(core.status().network).toMatchObject({ state: 'offline', detail: expect.stringContaining('central') });
    await core.settled();
    const loss = (await entries(core)).find((e) => e.text.startsWith('Perte de l’hôte central (127.0.0.1:'));
    expect(loss).toMatchObject({ category: 'technique', author: 'POSTE-3', position: 'POSTE-3' });
    expect(loss?.text).toMatch(/ à \d{2}:\d{2}:\d{2} \(connexion refusée \(ECONNREFUSED\)\)$/);

    // What the operators do during the outage.
    const users = await call(core, 'users.list', {});
    const lea = users.ok ? users.value.find((u) => u.name === 'Léa') : undefined;
    expect(await core.request('session.signIn', { userId: lea?.userId ?? '' })).toMatchObject({ ok: true });
    expect(await core.request('logbook.append', { text: 'Appel GSM reçu', category: 'appel' })).toMatchObject({
      ok: true,
    });
    const manual = await core.request('health.recordManualCall', {
      line: '18',
      callerNumber: '+687 27 12 34',
      nature: 'Feu de brousse',
      notes: 'Boulouparis, route territoriale 1',
      means: 'gsm',
    });
    expect(manual).toMatchObject({ ok: true, value: { author: 'Léa', means: 'gsm', outageSince: degraded.since } });
    expect(
      await core.request('health.recordManualCall', { line: '18', callerNumber: 'abc', nature: 'x', means: 'gsm' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const acked = await core.request('health.acknowledge', {});
    expect(acked).toMatchObject({
      ok: true,
      value: { acknowledged: { by: 'Léa' }, counts: { entries: 1, manualCalls: 1 } },
    });
    await core.settled();
    expect(pushed.some((e) => e.type === 'call.manual')).toBe(true);
    expect(pushed.some((e) => e.type === 'health' && e.health.acknowledged !== null)).toBe(true);

    server = await listen(port);
    cleanup.push(() => close(server));
    await until(
      'NOMINAL',
      () => health(core),
      (h) => h.phase === 'nominal',
    );
    await core.settled();
    const all = await texts(core);
    expect(all.some((t) => t.startsWith('Rétablissement de l’hôte central'))).toBe(true);
    const summary = all.find((t) => t.startsWith('Pendant la coupure'));
    expect(summary).toMatch(/^Pendant la coupure : 1 inscription, 1 appel manuel, durée \d{2}:\d{2}:\d{2}$/);
    expect(core.status().network.state).toBe('online');
    // The same figures are in the log: the transitions, in order, and the acknowledgement.
    const types = (
      core.store.db.prepare("SELECT type FROM events WHERE type LIKE 'health.%' ORDER BY seq").all() as {
        type: string;
      }[]
    ).map((r) => r.type);
    expect(types).toEqual(['health.degraded', 'health.acknowledged', 'health.recovering', 'health.nominal']);
    expect(await core.request('health.acknowledge', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('telephony lost and registered again, as the telephony module writes them; state kept across a restart and a rebuild', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-health-'));
    cleanup.push(() => removeDataDir(dir));
    let core = await start([], dir);
    const at = Date.now();
    core.store.append(
      'telephony.lost',
      { registrar: 'ws://127.0.0.1:1', detail: 'connexion fermée', at },
      STORE_AUTHOR,
    );
    await core.settled();
    expect(await health(core)).toMatchObject({ phase: 'degraded', since: at, faults: [{ check: 'telephony' }] });
    expect(core.status().network.state).toBe('offline');
    expect(await texts(core)).toContain(
      `Perte de la téléphonie IP à ${new Intl.DateTimeFormat('fr-FR', {
        timeZone: 'Pacific/Noumea',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }).format(at)} (connexion fermée — ws://127.0.0.1:1)`,
    );

    await core.close();
    core = await start([], dir);
    expect(await health(core)).toMatchObject({ phase: 'degraded', since: at });
    const before = core.store.db.prepare('SELECT * FROM health_state').all();
    core.store.rebuild();
    expect(core.store.db.prepare('SELECT * FROM health_state').all()).toEqual(before);

    core.store.append(
      'telephony.registered',
      { registrar: 'ws://127.0.0.1:1', registrarIndex: 0, detail: 'enregistré', at: at + 5000 },
      STORE_AUTHOR,
    );
    await core.settled();
    expect((await health(core)).phase).toBe('nominal');
    const all = await texts(core);
    expect(all.filter((t) => t.startsWith('Rétablissement de la téléphonie IP'))).toHaveLength(1);
    expect(all).toContain('Pendant la coupure : 0 inscription, 0 appel manuel, durée 00:00:05');
  });
});
