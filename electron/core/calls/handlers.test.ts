import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallsEvent } from '../../contract/calls.js';
import { VigieError } from '../../contract/result.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { moduleSchemas } from '../modules.js';
import { openStore, type Store } from '../store/index.js';
import { getCall } from './queries.js';
import { CALLBACK_CHANGES, createCallsService, type CallsService } from './service.js';

let dir: string;
let store: Store;
let service: CallsService;
const emitted: CallsEvent[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-calls-handlers-'));
  store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
  service = createCallsService(store, {
    operator: () => 'Marie',
    emit: (e) => emitted.push(e),
    now: () => 5_000,
  });
  store.append(
    'call.offered',
    {
      callId: 'c1',
      direction: 'in',
      sipCallId: 's1',
      line: { number: '18', label: '18', priority: 100, configured: true },
      caller: { number: '0687', name: null },
      at: 1_000,
    },
    'Marie',
  );
  store.append('call.ended', { callId: 'c1', at: 2_000, cause: 'abandoned' }, 'Marie');
});
afterEach(async () => {
  await service.close();
  store.close();
  removeDataDir(dir);
  emitted.length = 0;
});

describe('calls handlers (no telephony configured)', () => {
  it('qualifies, notes and links a logged call; refuses unknown codes and calls', () => {
    const h = service.handlers;
    h['calls.qualify']({ callId: 'c1', code: 'malveillant' });
    h['calls.note']({ callId: 'c1', text: 'Rappel demandé par le CTA' });
    h['calls.link']({ callId: 'c1', kind: 'operation', targetId: 'op-7' });
    expect(getCall(store.db, 'c1')).toMatchObject({
      qualification: { code: 'malveillant', label: 'Appel malveillant' },
      notes: [{ text: 'Rappel demandé par le CTA', author: 'Marie', at: 5_000 }],
      links: [{ kind: 'operation', targetId: 'op-7' }],
    });
    expect(() => h['calls.qualify']({ callId: 'c1', code: 'inconnu' })).toThrow(VigieError);
    expect(() => h['calls.note']({ callId: 'nope', text: 'x' })).toThrow(/Appel inconnu/);
  });

  it('records callback outcomes until one closes it, and pushes the pending count', () => {
    const h = service.handlers;
    expect(h['callbacks.list']({ status: 'pending', limit: 10 })).toHaveLength(1);
    expect(h['callbacks.outcome']({ callbackId: 'c1', code: 'injoignable' })).toMatchObject({
      status: 'pending',
      attempts: 1,
    });
    expect(h['callbacks.outcome']({ callbackId: 'c1', code: 'joint', note: 'Personne rassurée' })).toMatchObject({
      status: 'done',
      attempts: 2,
    });
    expect(() => h['callbacks.outcome']({ callbackId: 'c1', code: 'joint' })).toThrow(/déjà traité/);
    expect(
      emitted
        .filter((e) => e.type === 'callbacks.changed')
        .map((e) => (e.type === 'callbacks.changed' ? e.pending : -1)),
    ).toEqual([1, 1, 0]);
  });

  it('tells the screens of a burst of abandoned calls (a replicated history) once after it, with the final count', async () => {
    const line = { number: '18', label: '18', priority: 100, configured: true };
    store.appendAll(
      Array.from({ length: 300 }, (_, i) => [
        {
          type: 'call.offered',
          payload: {
            callId: `r${i}`,
            direction: 'in',
            sipCallId: `sr${i}`,
            line,
            caller: { number: '0687', name: null },
            at: 3_000,
          },
          author: 'POSTE-2',
        },
        { type: 'call.ended', payload: { callId: `r${i}`, at: 3_500, cause: 'abandoned' }, author: 'POSTE-2' },
      ]).flat(),
    );
    const counts = () =>
      emitted
        .filter((e) => e.type === 'callbacks.changed')
        .map((e) => (e.type === 'callbacks.changed' ? e.pending : -1));
    // The seeded call, then the burst's first ones; the rest is held back.
    expect(counts().length).toBe(CALLBACK_CHANGES.max);
    await new Promise((resolve) => setTimeout(resolve, CALLBACK_CHANGES.trailingMs + 150));
    expect(counts().length).toBe(CALLBACK_CHANGES.max + 1);
    expect(counts().at(-1)).toBe(301);
  });

  it('live commands say telephony is not configured; the queue is empty', async () => {
    expect(service.handlers['calls.queue']({})).toEqual({ ringing: [], mine: [] });
    await expect(Promise.resolve().then(() => service.handlers['calls.answerNext']({}))).rejects.toThrow(
      /Téléphonie non configurée/,
    );
  });
});
