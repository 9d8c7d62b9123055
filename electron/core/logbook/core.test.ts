import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { CoreEvent } from '../../contract/index.js';
import { createCore, type Core } from '../index.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const start = async (): Promise<Core> => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-core-logbook-'));
  const core = await createCore({ dataDir: dir, positionName: 'POSTE-2', log: () => {} });
  cleanup.push(
    () => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }),
    () => core.close(),
  );
  return core;
};

it('serves the logbook through the validated contract and pushes live events', async () => {
  const core = await start();
  const events: CoreEvent[] = [];
  core.onEvent((e) => events.push(e));
  expect(await core.request('logbook.append', { text: 'x', category: 'information' })).toMatchObject({
    ok: false,
    error: { code: 'forbidden' },
  });
  expect(await core.request('session.signIn', { name: 'Léa', role: 'chef_de_salle', pin: '12' })).toMatchObject({
    ok: false,
    error: { code: 'invalid_argument' },
  });
  expect(await core.request('session.signIn', { name: 'Léa', role: 'chef_de_salle' })).toMatchObject({
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
