/**
 * The remote-check hook (remote-checks.ts) on its own, with a module of the test's own: a declared check
 * runs only for its type, after the link passed, sees the log and the earlier events of the batch, and a
 * refusal stops its origin like a broken link (README "Remote events").
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RemoteCheck } from './remote-checks.js';
import { eventsAfter } from './remote.js';
import { useTempStores } from './testing.js';
import type { ModuleSchema, RemoteEvent, Store } from './types.js';

const { tempDir, open } = useTempStores('vigie-remote-checks-');

/** `probe.ref` names an earlier event of its origin by seq, with that event's hash: the check compares them. */
const seen: { seq: number; batch: number[] }[] = [];
const refCheck: RemoteCheck = (ctx, event) => {
  const ref = z.object({ seq: z.number(), hash: z.string() }).parse(JSON.parse(event.payloadJson));
  seen.push({ seq: event.seq, batch: ctx.batchOf(event.origin).map((e) => e.seq) });
  const target = ctx.eventAt(event.origin, ref.seq);
  return target?.hash === ref.hash
    ? undefined
    : { problem: 'checkpoint', message: `seq ${ref.seq} : ${target === undefined ? 'absent' : 'autre hash'}` };
};
const probe: ModuleSchema = {
  name: 'probe',
  eventTypes: [
    { type: 'probe.note', schema: z.object({ text: z.string() }).strict() },
    {
      type: 'probe.ref',
      schema: z.object({ seq: z.number().int(), hash: z.string() }).strict(),
      remoteCheck: refCheck,
    },
  ],
  projections: [],
  migrations: [],
};

const openProbe = (): Store => open(tempDir(), { modules: [probe] });
const all = (s: Store): RemoteEvent[] => eventsAfter(s.db, s.origin, 0, 1_000);
const note = (s: Store, text: string) => s.append('probe.note', { text }, 'test');

describe('remote checks declared by a module', () => {
  it('see the log and the earlier events of the batch; a refusal stops the origin like a broken link', () => {
    seen.length = 0;
    const a = openProbe();
    const first = note(a, 'un');
    const second = note(a, 'deux');
    const b = openProbe();
    expect(b.applyRemote(all(a)).applied).toHaveLength(2);
    // In the log (seq 1, from the earlier batch) and in this batch (seq 3).
    a.append('probe.ref', { seq: first.seq, hash: first.hash }, 'test');
    const third = note(a, 'trois');
    a.append('probe.ref', { seq: third.seq, hash: third.hash }, 'test');
    // A reference with a wrong hash, then an event after it.
    a.append('probe.ref', { seq: second.seq, hash: first.hash }, 'test');
    note(a, 'cinq');
    const result = b.applyRemote(all(a).slice(2));
    expect(result.applied.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(result.refused.map((r) => [r.event.seq, r.problem])).toEqual([
      [6, 'checkpoint'],
      [7, 'after-refused'],
    ]);
    expect(result.refused[0]?.message).toMatch(/seq 2 : autre hash$/);
    // Called for probe.ref only, each time with the batch's earlier events of the origin.
    expect(seen).toEqual([
      { seq: 3, batch: [] },
      { seq: 5, batch: [3, 4] },
      { seq: 6, batch: [3, 4, 5] },
    ]);
    expect(b.count()).toBe(5);
    expect(b.verify().ok).toBe(true);
  });
});
