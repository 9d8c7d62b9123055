import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { centralProbe, type CentralLink } from './probe-loop.js';
import { freeBytes, probeDatabase, probeDisk, probeTcp } from './probes.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-probes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('health probes', () => {
  it('TCP: open on a listening loopback port, refused once it is closed', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('pas de port');
    expect(await probeTcp('127.0.0.1', address.port, 1000)).toEqual({ ok: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const refused = await probeTcp('127.0.0.1', address.port, 1000);
    expect(refused).toMatchObject({ ok: false, detail: expect.stringContaining('ECONNREFUSED') });
  });

  it('disk: statfs gives the free space; below the threshold is a fault with the figures', async () => {
    const free = await freeBytes(dir);
    expect(free).toBeGreaterThan(0);
    const freeMiB = Math.floor(free / 1024 / 1024);
    expect(await probeDisk(dir, Math.max(1, freeMiB - 1))).toEqual({ ok: true });
    const low = await probeDisk(dir, freeMiB + 1024);
    expect(low).toMatchObject({ ok: false, detail: expect.stringMatching(/Mio libres, seuil \d+ Mio/) });
    expect(await probeDisk(join(dir, 'absent'), 1)).toMatchObject({ ok: false });
  });

  it('database: a failed integrity check or a missing file is a fault', async () => {
    expect(
      await probeDatabase({ path: join(dir, 'x.db'), integrity: () => ({ state: 'error', message: 'page 3' }) }),
    ).toEqual({ ok: false, detail: 'contrôle d’intégrité : page 3' });
    expect(await probeDatabase({ path: join(dir, 'absent.db'), integrity: () => ({ state: 'ok' }) })).toMatchObject({
      ok: false,
      detail: expect.stringContaining('écriture refusée'),
    });
  });
});

describe('the central database probe', () => {
  const probeOf = (link: () => CentralLink | undefined) => centralProbe(link, 60_000);
  const link =
    (state: 'local' | 'online' | 'offline', configured = true, lagMs: number | null = 0) =>
    () => ({
      info: () => ({
        configured,
        state,
        server: 'central.example:5432',
        lastError: 'connexion refusée',
        backlog: 12,
        lagMs,
      }),
    });

  it('reports the server, replication’s last error and the backlog while it is unreachable, and nothing otherwise', async () => {
    expect(await probeOf(link('offline', true, null)).run()).toEqual({
      ok: false,
      detail: 'central.example:5432 : connexion refusée — à envoyer : 12',
    });
    expect(await probeOf(link('online')).run()).toEqual({ ok: true });
    // A position that works alone, or before replication is set up, has no central fault.
    expect(await probeOf(link('offline', false)).run()).toEqual({ ok: true });
    expect(await probeOf(() => undefined).run()).toEqual({ ok: true });
  });

  it('reports a replication lag above the threshold, not one at or below it', async () => {
    expect(await probeOf(link('online', true, 60_000)).run()).toEqual({ ok: true });
    expect(await probeOf(link('online', true, 95_400)).run()).toEqual({
      ok: false,
      detail: 'central.example:5432 : retard de réplication 95 s (seuil 60 s)',
    });
  });
});
