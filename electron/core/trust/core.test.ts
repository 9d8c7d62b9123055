/**
 * The trust module in a running core (issue 11 §4): the key registered at the first start, a signed
 * checkpoint at shift close and at every export (printed on the PDF with the fingerprint), one every N
 * minutes only when something was written since the last one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExportResult } from '../../contract/logbook.js';
import { createCore, type Core } from '../index.js';
import { provision, TEST_PIN } from '../../testing/roster.js';
import { removeDataDir } from '../../testing/data-dir.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanup.splice(0).reverse()) await c();
});
const types = (core: Core): string[] =>
  core.store.db
    .prepare('SELECT type FROM events WHERE origin = ? ORDER BY seq')
    .pluck()
    .all(core.store.origin) as string[];
const reasons = (core: Core): string[] =>
  (
    core.store.db
      .prepare("SELECT payload FROM events WHERE type = 'trust.checkpoint' ORDER BY seq")
      .pluck()
      .all() as string[]
  ).map((p) => (JSON.parse(p) as { reason: string }).reason);

describe('trust module in the core', () => {
  it('registers the key once, signs a checkpoint at shift close and at export, and prints it on the PDF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-trust-core-'));
    cleanup.push(() => {
      removeDataDir(dir);
    });
    const [chef] = await provision(dir, [{ name: 'Marie Wamytan', role: 'chef_de_salle', pin: TEST_PIN }]);
    const core = await createCore({ dataDir: dir, log: () => {} });
    cleanup.push(() => core.close());
    await core.started;
    expect(types(core).filter((t) => t === 'trust.keyRegistered')).toHaveLength(1);
    expect((await core.request('session.signIn', { userId: chef?.userId, pin: TEST_PIN })).ok).toBe(true);
    expect((await core.request('shift.open', { team: ['Marie Wamytan'] })).ok).toBe(true);
    expect((await core.request('logbook.append', { text: 'Départ du VSAV', category: 'information' })).ok).toBe(true);
    expect((await core.request('shift.close', { consignes: 'RAS' })).ok).toBe(true);
    await core.settled();
    expect(reasons(core)).toEqual(['shift']);
    const exported = await core.request('export.start', { format: 'pdf' });
    if (!exported.ok) throw new Error(exported.error.message);
    // Core.request is untyped across methods; export.start answers the contract's ExportResult.
    const result = exported.value as ExportResult;
    expect(reasons(core)).toEqual(['shift', 'export']);
    expect(result.checkpoint).toMatchObject({
      origin: core.store.origin,
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const text = execFileSync('pdftotext', ['-layout', result.file, '-'], { encoding: 'utf8' });
    expect(text).toContain(`Empreinte SHA-256 de la clé Ed25519 du poste : ${result.checkpoint?.fingerprint ?? '?'}`);
    expect(text).toContain(`Point de contrôle signé : seq ${result.checkpoint?.seq ?? '?'} du`);
  });

  it('every N minutes, a checkpoint only when something was written since the last one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-trust-timer-'));
    cleanup.push(() => {
      removeDataDir(dir);
    });
    writeFileSync(join(dir, 'vigie.json'), JSON.stringify({ trust: { checkpointMinutes: 2 } }));
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const core = await createCore({ dataDir: dir, log: () => {} });
    cleanup.push(() => core.close());
    await core.started;
    core.store.append('logbook.entry', { text: 'Une', category: 'information' }, 'A');
    vi.advanceTimersByTime(120_000);
    expect(reasons(core)).toEqual(['timer']);
    vi.advanceTimersByTime(120_000);
    expect(reasons(core)).toEqual(['timer']);
    core.store.append('logbook.entry', { text: 'Deux', category: 'information' }, 'A');
    vi.advanceTimersByTime(120_000);
    expect(reasons(core)).toEqual(['timer', 'timer']);
  });
});
