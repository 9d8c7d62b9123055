import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArgsOf, Method, Result, ResultOf } from '../../contract/index.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { createCore, type Core } from '../index.js';

let dir: string;
let core: Core;
const t0 = Date.parse('2026-12-01T08:00:00+11:00');

const offer = (callId: string, at: number): void => {
  core.store.append(
    'call.offered',
    {
      callId,
      direction: 'in',
      sipCallId: `sip-${callId}`,
      line: { number: '18', label: 'Pompiers 18', priority: 100, configured: true },
      caller: { number: '687123456', name: null },
      at,
    },
    'système',
  );
};

// The dispatcher answers ResultOf<M> for method M (contract/index.ts); Core.request is untyped on the wire side.
const call = <M extends Method>(method: M, args: ArgsOf<M>) =>
  core.request(method, args) as Promise<Result<ResultOf<M>>>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-stats-'));
  core = await createCore({ dataDir: dir, services: false, now: () => t0 + 3600_000, log: () => undefined });
});
afterEach(async () => {
  await core.close();
  removeDataDir(dir);
});

describe('stats module on a real log', () => {
  it('computes the figures of the calls the log holds, and the same ones as CSV', async () => {
    offer('a', t0);
    core.store.append('call.answered', { callId: 'a', at: t0 + 7000 }, 'Marie Chef');
    core.store.append('call.ended', { callId: 'a', at: t0 + 60_000, cause: 'operator_hangup' }, 'Marie Chef');
    offer('b', t0 + 60_000);
    core.store.append('call.ended', { callId: 'b', at: t0 + 85_000, cause: 'abandoned' }, 'système');
    offer('c', t0 + 120_000);
    core.store.append('call.answered', { callId: 'c', at: t0 + 138_000 }, 'Paul Opérateur');
    const range = { from: new Date(t0 - 1000).toISOString(), to: new Date(t0 + 3600_000).toISOString() };
    const result = await call('stats.figures', range);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({ presented: 3, answered: 2, abandoned: 1 });
    expect(result.value.within.map((w) => w.count)).toEqual([1, 1, 2]);
    expect(result.value.byOperator.map((row) => row.key)).toEqual(['Marie Chef', 'Paul Opérateur']);
    expect(result.value.callbacks.created).toBe(1);

    const csv = await call('stats.csv', range);
    if (!csv.ok) throw new Error(csv.error.message);
    expect(csv.value.csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.value.csv).toContain('Appels présentés;3\r\n');
    expect(csv.value.csv).toContain('Décrochés en 15 s au plus (%);33,3\r\n');
  });

  it('refuses an empty or reversed range in French', async () => {
    const result = await call('stats.figures', {
      from: new Date(t0).toISOString(),
      to: new Date(t0 - 1).toISOString(),
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('période') });
    const bad = await call('stats.figures', { from: 'hier' });
    expect(bad.ok).toBe(false);
  });
});
