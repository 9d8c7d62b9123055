import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOST_IN_OUTAGE_DETAIL } from '../../contract/calls.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { moduleSchemas } from '../modules.js';
import { openStore, type Store } from '../store/index.js';
import { endCauses } from './state.js';

/** Any sequence of call events the log accepts, including out-of-order and contradictory ones. */
const callIds = ['c1', 'c2', 'c3'] as const;
const sipIds = ['s1', 's2'] as const;
const step = fc.oneof(
  fc.record({
    type: fc.constant('call.offered'),
    callId: fc.constantFrom(...callIds),
    sipCallId: fc.constantFrom(...sipIds),
    direction: fc.constantFrom('in', 'out'),
  }),
  fc.record({
    type: fc.constantFrom('call.answered', 'call.held', 'call.resumed'),
    callId: fc.constantFrom(...callIds),
  }),
  fc.record({
    type: fc.constant('call.ended'),
    callId: fc.constantFrom(...callIds),
    cause: fc.constantFrom(...endCauses),
    detail: fc.constantFrom(undefined, LOST_IN_OUTAGE_DETAIL, 'session terminée sans BYE'),
  }),
  fc.record({
    type: fc.constant('call.noted'),
    callId: fc.constantFrom(...callIds),
    text: fc.string({ minLength: 1, maxLength: 20 }),
  }),
  fc.record({ type: fc.constant('callback.outcome'), callbackId: fc.constantFrom(...callIds), closes: fc.boolean() }),
  // An entry written during a call, before or after it was offered here (calls migration 3).
  fc.record({ type: fc.constant('logbook.entry'), callId: fc.constantFrom(...callIds) }),
);

const append = (store: Store, s: Record<string, unknown>, at: number): void => {
  const base = { at };
  switch (s['type']) {
    case 'call.offered':
      store.append(
        'call.offered',
        {
          ...base,
          callId: s['callId'],
          sipCallId: s['sipCallId'],
          direction: s['direction'],
          line: { number: '18', label: '18', priority: 100, configured: true },
          caller: { number: '0687', name: null },
        },
        'op',
      );
      return;
    case 'call.ended':
      store.append(
        'call.ended',
        {
          ...base,
          callId: s['callId'],
          cause: s['cause'],
          ...(s['detail'] === undefined ? {} : { detail: s['detail'] }),
        },
        'op',
      );
      return;
    case 'logbook.entry':
      store.append(
        'logbook.entry',
        { text: `pendant ${String(s['callId'])}`, category: 'appel', callId: s['callId'] },
        'op',
      );
      return;
    case 'call.noted':
      store.append('call.noted', { ...base, callId: s['callId'], text: s['text'] }, 'op');
      return;
    case 'callback.outcome':
      store.append(
        'callback.outcome',
        { ...base, callbackId: s['callbackId'], code: 'x', label: 'X', closes: s['closes'] },
        'op',
      );
      return;
    default:
      store.append(String(s['type']), { ...base, callId: s['callId'] }, 'op');
  }
};

const snapshot = (store: Store): unknown =>
  ['calls', 'call_notes', 'call_links', 'call_entry_links', 'callbacks', 'callback_attempts'].map((t) =>
    store.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all(),
  );

describe('calls projections and rebuild', () => {
  it('property: rebuilding from the events gives exactly the tables the appends built', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const dir = mkdtempSync(join(tmpdir(), 'vigie-calls-rebuild-'));
        const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
        try {
          steps.forEach((s, i) => append(store, s, 1000 + i * 10));
          const live = snapshot(store);
          store.rebuild();
          expect(snapshot(store)).toEqual(live);
        } finally {
          store.close();
          removeDataDir(dir);
        }
      }),
      { numRuns: 40 },
    );
  });
});
