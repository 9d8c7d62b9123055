/**
 * applyRemote: events of another position enter the log as they were chained there, every link checked,
 * and the projections are the same at every position whatever the order of arrival
 * (docs/architecture.md, "Conflicts by construction").
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventDigest, projectionDigest } from '../../testing/digest.js';
import { eventHash, GENESIS_HASH } from './chain.js';
import { eventsAfter } from './remote.js';
import { useTempStores } from './testing.js';
import type { RemoteEvent, Store } from './types.js';

const { tempDir, open } = useTempStores('vigie-remote-');

const all = (store: Store, origin = store.origin): RemoteEvent[] => eventsAfter(store.db, origin, 0, 1_000_000);

const entry = (text: string) => ({
  type: 'logbook.entry',
  payload: { text, category: 'information' },
  author: 'Marie',
});

describe('applyRemote', () => {
  it('inserts remote events as chained at their origin; a second copy is a duplicate; verify passes', () => {
    const a = open(tempDir());
    const b = open(tempDir());
    a.appendAll([entry('un'), entry('deux'), entry('trois')]);
    const result = b.applyRemote(all(a));
    expect(result.applied.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(result.refused).toEqual([]);
    expect(b.applyRemote(all(a))).toMatchObject({ applied: [], duplicates: 3, refused: [] });
    expect(all(b, a.origin)).toEqual(all(a));
    expect(b.verify()).toMatchObject({ ok: true, events: 3 });
    // The clock moved past the remote one: B's next event sorts after A's.
    const next = b.append('logbook.entry', { text: 'après', category: 'information' }, 'Paul');
    expect(next.hlc > (all(a)[2]?.hlc ?? '')).toBe(true);
    expect(b.db.prepare('SELECT count(*) FROM logbook_entries').pluck().get()).toBe(4);
  });

  it('refuses an altered event, a broken link, a gap and a fork, and what follows them; inserts nothing of them', () => {
    const a = open(tempDir());
    a.appendAll([entry('un'), entry('deux'), entry('trois')]);
    const [e1, e2, e3] = all(a);
    if (e1 === undefined || e2 === undefined || e3 === undefined) throw new Error('trois événements attendus');

    const altered = open(tempDir()).applyRemote([
      e1,
      { ...e2, payloadJson: e2.payloadJson.replace('deux', 'DEUX') },
      e3,
    ]);
    expect(altered.applied.map((e) => e.seq)).toEqual([1]);
    expect(altered.refused.map((r) => [r.event.seq, r.problem])).toEqual([
      [2, 'altered'],
      [3, 'after-refused'],
    ]);

    const gap = open(tempDir()).applyRemote([e1, e3]);
    expect(gap.refused.map((r) => r.problem)).toEqual(['missing']);

    const relinked = open(tempDir()).applyRemote([e2]);
    expect(relinked.refused.map((r) => r.problem)).toEqual(['missing']);

    const b = open(tempDir());
    b.applyRemote([e1, e2]);
    const forked = b.applyRemote([{ ...e2, hash: e3.hash }]);
    expect(forked.refused.map((r) => r.problem)).toEqual(['fork']);
    expect(b.count()).toBe(2);
    expect(b.verify().ok).toBe(true);

    const invalid = open(tempDir()).applyRemote([{ ...e1, type: 'inconnu.type' }]);
    expect(invalid.refused.map((r) => r.problem)).toEqual(['altered']);
  });

  it('refuses a correctly chained payload that is not JSON, not canonical, out of range, unknown or invalid', () => {
    const a = open(tempDir());
    a.append(entry('modèle').type, entry('modèle').payload, 'Marie');
    const [model] = all(a);
    if (model === undefined) throw new Error('un événement attendu');
    // seq 1 of a new origin, hashed over exactly this text: only the payload check can refuse it.
    const chained = (payloadJson: string, type = 'logbook.entry'): RemoteEvent => {
      const e = { ...model, origin: randomUUID(), type, payloadJson, prevHash: GENESIS_HASH };
      return { ...e, hash: eventHash(GENESIS_HASH, e) };
    };
    const verdict = (payloadJson: string, type?: string) => {
      const result = open(tempDir()).applyRemote([chained(payloadJson, type)]);
      return result.refused.map((r) => [r.problem, r.message.replace(/^.*\) : /, '')]);
    };
    expect(verdict('{"category":"information","text":"juste"}')).toEqual([]);
    expect(verdict('{"category":"information","text":')).toEqual([['invalid', 'contenu qui n’est pas du JSON']]);
    expect(verdict('{"text":"juste","category":"information"}')).toEqual([
      ['invalid', 'contenu qui n’est pas en JSON canonique'],
    ]);
    expect(verdict('{"category": "information","text":"juste"}')).toEqual([
      ['invalid', 'contenu qui n’est pas en JSON canonique'],
    ]);
    expect(verdict('{"category":"information","text":"juste","text":"juste"}')).toEqual([
      ['invalid', 'contenu qui n’est pas en JSON canonique'],
    ]);
    // 1e999 parses to Infinity: refused, not an exception that would stop the batch.
    expect(verdict('{"category":"information","n":1e999,"text":"juste"}')).toEqual([
      ['invalid', 'contenu qui n’est pas en JSON canonique'],
    ]);
    // Canonical ("10" sorts before "9" by code unit, while property order puts 9 first): whatever the schema
    // says of these keys, the text is not refused as non-canonical.
    expect(verdict('{"10":1,"9":2,"category":"information","text":"juste"}').map(([, m]) => m)).not.toContain(
      'contenu qui n’est pas en JSON canonique',
    );
    expect(verdict('{"9":2,"10":1,"category":"information","text":"juste"}')).toEqual([
      ['invalid', 'contenu qui n’est pas en JSON canonique'],
    ]);
    expect(verdict('{"category":"information","text":""}')[0]?.[1]).toMatch(/^contenu invalide pour logbook\.entry/);
    expect(verdict('{}', 'inconnu.type')).toEqual([
      ['invalid', "type d'événement inconnu de cette version : inconnu.type"],
    ]);
  });

  it('same call answered at two positions: every position computes the same projections, whatever the arrival order', () => {
    let t = 1_790_000_000_000;
    const now = () => t;
    const a = open(tempDir(), { now });
    const b = open(tempDir(), { now });
    const c = open(tempDir(), { now });
    const line = { number: '18', label: 'Pompiers', priority: 1, configured: true };
    const caller = { number: '0687000000', name: null };
    const offered = (callId: string, sipCallId: string) => ({
      type: 'call.offered',
      payload: { callId, direction: 'in', sipCallId, line, caller, at: t },
      author: 'POSTE',
    });
    // Call 1 rings at A and B; A misses the "answered elsewhere" and records it abandoned, B answers it
    // 10 ms later. Call 2 rings at both and both answer it (a race the SIP server settles later).
    a.appendAll([offered('a-1', 'sip-1'), offered('a-2', 'sip-2')]);
    b.appendAll([offered('b-1', 'sip-1'), offered('b-2', 'sip-2')]);
    t += 1000;
    a.append('call.ended', { callId: 'a-1', at: t, cause: 'abandoned' }, 'Marie');
    t += 10;
    b.append('call.answered', { callId: 'b-1', at: t }, 'Paul');
    b.append('call.answered', { callId: 'b-2', at: t }, 'Paul');
    t += 5;
    a.append('call.answered', { callId: 'a-2', at: t }, 'Marie');
    t += 2000;
    b.append('call.ended', { callId: 'b-1', at: t, cause: 'caller_hangup' }, 'Paul');
    a.append('logbook.entry', { text: 'Appel 18 traité', category: 'information' }, 'Marie');

    // A receives B's events in one batch, B receives A's one by one, C receives B first then A.
    a.applyRemote(all(b));
    for (const e of all(a)) b.applyRemote([e]);
    c.applyRemote(all(b));
    c.applyRemote(all(a));

    for (const s of [a, b, c]) expect(s.verify()).toMatchObject({ ok: true, events: 10 });
    expect(eventDigest(b.db)).toEqual(eventDigest(a.db));
    expect(eventDigest(c.db)).toEqual(eventDigest(a.db));
    expect(projectionDigest(b.db)).toEqual(projectionDigest(a.db));
    expect(projectionDigest(c.db)).toEqual(projectionDigest(a.db));
    // And it is what a rebuild gives.
    const before = projectionDigest(c.db);
    c.rebuild();
    expect(projectionDigest(c.db)).toEqual(before);
    expect(a.db.prepare('SELECT id, state, operator FROM calls ORDER BY id').all()).toEqual([
      { id: 'a-1', state: 'ended', operator: null },
      { id: 'a-2', state: 'active', operator: 'Marie' },
      { id: 'b-1', state: 'ended', operator: 'Paul' },
      { id: 'b-2', state: 'active', operator: 'Paul' },
    ]);
    // The callback A opened is closed by B's answer, by Paul, at B's time: at B too, where A's older
    // "abandoned" arrived after B's answer and the projections were replayed in HLC order.
    const callback = 'SELECT call_id, status, outcome, outcome_by FROM callbacks';
    const expected = [{ call_id: 'a-1', status: 'done', outcome: 'repondu_ailleurs', outcome_by: 'Paul' }];
    expect(a.db.prepare(callback).all()).toEqual(expected);
    expect(b.db.prepare(callback).all()).toEqual(expected);
  });

  it('a remote clock far ahead is flagged with clock.skew, the event still applied', () => {
    const far = open(tempDir(), { now: () => Date.now() + 3_600_000 });
    far.append('logbook.entry', { text: 'en avance', category: 'information' }, 'X');
    const b = open(tempDir());
    const result = b.applyRemote(all(far));
    expect(result.applied).toHaveLength(1);
    const skew = b.db.prepare("SELECT payload FROM events WHERE type = 'clock.skew'").pluck().all() as string[];
    expect(skew).toHaveLength(1);
    expect(JSON.parse(skew[0] ?? '{}')).toMatchObject({ source: 'remote' });
  });
});
