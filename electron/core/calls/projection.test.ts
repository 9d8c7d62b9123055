import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeDataDir } from '../../testing/data-dir.js';
import { migrate } from '../store/migrate.js';
import { migrations } from './migrations/index.js';
import type { StoredEvent } from '../store/types.js';
import { callSchemas, type CallEventType, type CallPayload } from './events.js';
import { callsProjection } from './projection.js';
import { callsLinkedTo, getCall, listCallbacks, listCalls } from './queries.js';

let dir: string;
let db: Database.Database;
let seq = 0;

const apply = <T extends CallEventType>(
  type: T,
  payload: CallPayload<T>,
  opts: { origin?: string; author?: string } = {},
): void => {
  callSchemas[type].parse(payload);
  seq++;
  const event: StoredEvent = {
    origin: opts.origin ?? 'pos-1',
    seq,
    id: `ev-${seq}`,
    hlc: String(seq).padStart(10, '0'),
    type,
    author: opts.author ?? 'opérateur A',
    payload,
    prevHash: '',
    hash: '',
  };
  db.transaction(() => callsProjection.apply(db, event))();
};

const offer = (callId: string, at: number, sipCallId = `sip-${callId}`, origin = 'pos-1'): void =>
  apply(
    'call.offered',
    {
      callId,
      direction: 'in',
      sipCallId,
      line: { number: '18', label: 'Pompiers 18', priority: 100, configured: true },
      caller: { number: '687123456', name: 'Jean' },
      at,
    },
    { origin },
  );

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-calls-proj-'));
  db = new Database(join(dir, 'test.db'));
  db.pragma('foreign_keys = ON');
  // The kernel's log then every calls migration, as the store opens a file.
  migrate(db, 'test.db', [{ name: 'calls', migrations }]);
});
afterEach(() => {
  db.close();
  removeDataDir(dir);
});

describe('calls projection', () => {
  it('records wait and talk time, operator, position, qualification, notes and links', () => {
    offer('c1', 1000);
    apply('call.answered', { callId: 'c1', at: 4000 }, { author: 'opérateur B' });
    apply('call.held', { callId: 'c1', at: 5000 });
    apply('call.resumed', { callId: 'c1', at: 6000 });
    apply('call.qualified', { callId: 'c1', at: 7000, code: 'urgence', label: 'Urgence' });
    apply('call.noted', { callId: 'c1', at: 7100, text: 'Feu de brousse à Boulouparis' });
    apply('call.linked', { callId: 'c1', at: 7200, kind: 'operation', targetId: 'op-1' });
    apply('call.ended', { callId: 'c1', at: 10_000, cause: 'caller_hangup' });
    const c = getCall(db, 'c1');
    expect(c).toMatchObject({
      state: 'ended',
      cause: 'caller_hangup',
      waitMs: 3000,
      talkMs: 6000,
      operator: 'opérateur B',
      position: 'pos-1',
      qualification: { code: 'urgence', label: 'Urgence' },
      line: { number: '18', label: 'Pompiers 18', priority: 100 },
    });
    expect(c?.notes.map((n) => n.text)).toEqual(['Feu de brousse à Boulouparis']);
    expect(c?.links).toEqual([{ kind: 'operation', targetId: 'op-1' }]);
    expect(callsLinkedTo(db, 'operation', 'op-1').map((x) => x.id)).toEqual(['c1']);
    expect(callsLinkedTo(db, 'entry', 'op-1')).toEqual([]);
    expect(listCallbacks(db)).toEqual([]);
  });

  it('creates one pending callback per abandoned call, none for answered elsewhere', () => {
    offer('c1', 1000);
    apply('call.ended', { callId: 'c1', at: 31_000, cause: 'abandoned' });
    offer('c2', 2000);
    apply('call.ended', { callId: 'c2', at: 3000, cause: 'answered_elsewhere' });
    const c1 = getCall(db, 'c1');
    expect(c1).toMatchObject({ waitMs: 30_000, talkMs: null, answeredAt: null });
    const cbs = listCallbacks(db);
    expect(cbs).toHaveLength(1);
    expect(cbs[0]).toMatchObject({
      id: 'c1',
      callId: 'c1',
      number: '687123456',
      status: 'pending',
      attempts: 0,
      line: 'Pompiers 18',
    });
  });

  it('the same SIP call abandoned at two positions makes one callback', () => {
    offer('a', 1000, 'same-sip', 'pos-1');
    offer('b', 1001, 'same-sip', 'pos-2');
    apply('call.ended', { callId: 'a', at: 5000, cause: 'abandoned' }, { origin: 'pos-1' });
    apply('call.ended', { callId: 'b', at: 5001, cause: 'abandoned' }, { origin: 'pos-2' });
    expect(listCallbacks(db)).toHaveLength(1);
  });

  it('a callback is closed when the same SIP call was answered at another position, in either order', () => {
    offer('a', 1000, 'sip-x', 'pos-1');
    offer('b', 1000, 'sip-x', 'pos-2');
    apply('call.ended', { callId: 'a', at: 3000, cause: 'abandoned' }, { origin: 'pos-1' });
    apply('call.answered', { callId: 'b', at: 2000 }, { origin: 'pos-2' });
    expect(listCallbacks(db, { status: 'pending' })).toHaveLength(0);
    expect(listCallbacks(db, { status: 'done' })[0]?.outcome?.code).toBe('repondu_ailleurs');

    offer('c', 1000, 'sip-y', 'pos-2');
    offer('d', 1000, 'sip-y', 'pos-1');
    apply('call.answered', { callId: 'c', at: 2000 }, { origin: 'pos-2' });
    apply('call.ended', { callId: 'd', at: 3000, cause: 'abandoned' }, { origin: 'pos-1' });
    expect(listCallbacks(db, { status: 'pending' })).toHaveLength(0);
  });

  it('a Call-ID reused hours later is another call: its own callback, not closed by the old answer', () => {
    const hour = 3_600_000;
    offer('a', 1000, 'reused', 'pos-1');
    apply('call.answered', { callId: 'a', at: 2000 });
    apply('call.ended', { callId: 'a', at: 3000, cause: 'caller_hangup' });
    offer('b', 5 * hour, 'reused', 'pos-1');
    apply('call.ended', { callId: 'b', at: 5 * hour + 1000, cause: 'abandoned' });
    offer('c', 9 * hour, 'reused', 'pos-1');
    apply('call.ended', { callId: 'c', at: 9 * hour + 1000, cause: 'abandoned' });
    offer('d', 9 * hour + 500, 'reused', 'pos-2');
    apply('call.answered', { callId: 'd', at: 9 * hour + 2000 }, { origin: 'pos-2' });
    expect(listCallbacks(db, { status: 'all' }).map((c) => [c.callId, c.status])).toEqual([
      ['c', 'done'],
      ['b', 'pending'],
    ]);
  });

  it('callback outcomes: injoignable keeps it pending, joint closes it', () => {
    offer('c1', 1000);
    apply('call.ended', { callId: 'c1', at: 2000, cause: 'abandoned' });
    apply('callback.outcome', {
      callbackId: 'c1',
      at: 3000,
      code: 'injoignable',
      label: 'Rappelé — injoignable',
      closes: false,
    });
    expect(listCallbacks(db)[0]).toMatchObject({ status: 'pending', attempts: 1, outcome: { code: 'injoignable' } });
    apply('callback.outcome', {
      callbackId: 'c1',
      at: 4000,
      code: 'joint',
      label: 'Rappelé — joint',
      closes: true,
      note: 'ok',
    });
    expect(listCallbacks(db)).toHaveLength(0);
    expect(listCallbacks(db, { status: 'done' })[0]).toMatchObject({
      attempts: 2,
      outcome: { code: 'joint', by: 'opérateur A' },
    });
    expect(db.prepare('SELECT count(*) AS n FROM callback_attempts').get()).toEqual({ n: 2 });
  });

  it('ignores events about unknown calls and transitions from the wrong state', () => {
    apply('call.answered', { callId: 'ghost', at: 1 });
    apply('call.noted', { callId: 'ghost', at: 1, text: 'x' });
    apply('callback.outcome', { callbackId: 'ghost', at: 1, code: 'joint', label: 'J', closes: true });
    offer('c1', 1000);
    apply('call.ended', { callId: 'c1', at: 2000, cause: 'abandoned' });
    apply('call.ended', { callId: 'c1', at: 3000, cause: 'caller_hangup' });
    apply('call.answered', { callId: 'c1', at: 2500 });
    expect(getCall(db, 'c1')).toMatchObject({ state: 'ended', cause: 'abandoned', endedAt: 2000, answeredAt: null });
    expect(listCalls(db)).toHaveLength(1);
  });
});
