import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeDataDir } from '../testing/data-dir.js';
import { createCore } from './index.js';

describe('core', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigie-core-'));
  });
  afterEach(() => removeDataDir(dataDir));

  it('reports its status with the clock in Nouméa', async () => {
    const now = Date.UTC(2026, 10, 29, 13, 0, 5); // 13:00:05 UTC = 00:00:05 next day in Nouméa (UTC+11)
    const core = await createCore({ dataDir, now: () => now });
    const result = await core.request('status.get', {});
    expect(result).toMatchObject({
      ok: true,
      value: { dataDir, positionName: 'POSTE-1', clock: { zone: 'Pacific/Noumea', local: '30/11/2026 00:00:05' } },
    });
    await core.close();
  });

  it('keeps its position id across restarts and counts the events of its log', async () => {
    const first = await createCore({ dataDir });
    const nodeId = first.status().nodeId;
    expect(nodeId).toMatch(/^[0-9a-f-]{36}$/);
    const before = first.status().database.events;
    first.store.append('logbook.entry', { text: 'Essai', category: 'information' }, 'test');
    await first.close();
    const second = await createCore({ dataDir });
    expect(second.status()).toMatchObject({ nodeId, database: { state: 'ok', events: before + 1 } });
    await second.close();
  });

  it('answers bad requests with a clear error, never a crash', async () => {
    const core = await createCore({ dataDir });
    expect(await core.request('status.get', { extra: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', message: expect.stringContaining('Argument invalide pour status.get') },
    });
    expect(await core.request('nope', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await core.request('constructor', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    await core.close();
  });

  it('reads the position name from vigie.json', async () => {
    writeFileSync(join(dataDir, 'vigie.json'), JSON.stringify({ positionName: 'POSTE-2' }));
    const core = await createCore({ dataDir });
    expect(core.status().positionName).toBe('POSTE-2');
    await core.close();
  });

  it('refuses a wrong configuration with the file and the field named', async () => {
    writeFileSync(join(dataDir, 'vigie.json'), JSON.stringify({ positionName: '', colour: 'red' }));
    await expect(createCore({ dataDir })).rejects.toThrow(/Configuration invalide .*vigie\.json[\s\S]*positionName/);
    writeFileSync(join(dataDir, 'vigie.json'), '{ not json');
    await expect(createCore({ dataDir })).rejects.toThrow(/Configuration illisible/);
  });
});
