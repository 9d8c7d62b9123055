import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { CoreEvent, Role } from '../../contract/index.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { provision, TEST_PIN } from '../../testing/roster.js';
import { createCore, type Core } from '../index.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const start = async (
  more: { name: string; role: Role; pin: string }[] = [],
): Promise<{ core: Core; leaId: string; ids: string[] }> => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-core-logbook-'));
  cleanup.push(() => {
    removeDataDir(dir);
  });
  const [lea, ...others] = await provision(dir, [{ name: 'Léa', role: 'chef_de_salle', pin: TEST_PIN }, ...more]);
  const core = await createCore({ dataDir: dir, positionName: 'POSTE-2', log: () => {} });
  cleanup.push(() => core.close());
  if (lea === undefined) throw new Error('Léa absente du tableau de service');
  return { core, leaId: lea.userId, ids: others.map((u) => u.userId) };
};

it('serves the logbook through the validated contract and pushes live events', async () => {
  const { core, leaId } = await start();
  const events: CoreEvent[] = [];
  core.onEvent((e) => events.push(e));
  expect(await core.request('logbook.append', { text: 'x', category: 'information' })).toMatchObject({
    ok: false,
    error: { code: 'forbidden' },
  });
  expect(await core.request('session.signIn', { userId: leaId, pin: '12' })).toMatchObject({
    ok: false,
    error: { code: 'invalid_argument' },
  });
  expect(await core.request('session.signIn', { userId: leaId, pin: TEST_PIN })).toMatchObject({
    ok: true,
    value: { userName: 'Léa' },
  });
  const appended = await core.request('logbook.append', { text: 'Départ', category: 'information', extra: 1 });
  expect(appended).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  expect(await core.request('logbook.append', { text: 'x'.repeat(4001), category: 'information' })).toMatchObject({
    ok: false,
    error: { code: 'invalid_argument', message: expect.stringMatching(/Texte trop long/) },
  });
  const ok = await core.request('logbook.append', { text: 'Départ', category: 'information' });
  expect(ok).toMatchObject({
    ok: true,
    value: { number: 1, position: 'POSTE-2', author: 'Léa', role: 'chef_de_salle' },
  });
  expect(events.filter((e) => e.type === 'logbook.entry')).toHaveLength(1);
  expect(events.some((e) => e.type === 'session')).toBe(true);
  const found = await core.request('logbook.search', { query: 'depart' });
  expect(found).toMatchObject({ ok: true, value: { entries: [{ text: 'Départ' }] } });
  const exported = await core.request('export.start', { format: 'csv' });
  expect(exported).toMatchObject({ ok: true, value: { entries: 1, format: 'csv' } });
  expect(events.some((e) => e.type === 'export.finished')).toBe(true);
});

it('answers status.get while 100 wrong PINs are being checked (the hash runs off the event loop)', async () => {
  const { core, ids } = await start(
    [...'ABCDEFGHIJ'].map((letter) => ({ name: `Technicien ${letter}`, role: 'technicien', pin: '1111' })),
  );
  // Ten users, ten wrong PINs each, all at once: one check per user runs, the others are refused at once.
  let pending = 0;
  const attempts = ids.flatMap((userId) =>
    Array.from({ length: 10 }, () => {
      pending += 1;
      return core.request('session.signIn', { userId, pin: '9999' }).then((r) => {
        pending -= 1;
        return r;
      });
    }),
  );
  expect(await core.request('status.get', {})).toMatchObject({ ok: true });
  // Answered while PIN checks were still in flight: with a synchronous hash it came after all of them.
  expect(pending).toBeGreaterThan(0);
  const results = await Promise.all(attempts);
  expect(results.every((r) => !r.ok)).toBe(true);
  expect(results.filter((r) => !r.ok && /Code PIN incorrect/.test(r.error.message))).toHaveLength(10);
});
