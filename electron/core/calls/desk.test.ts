/**
 * The pure call domain with a fake signalling port: every fact and command path on a real store, no SIP.
 * The fake records what the desk asked and lets each test decide when (and whether) telephony answers.
 */
import { describe, expect, it } from 'vitest';
import type { CallsEvent } from '../../contract/calls.js';
import { useTempStores } from '../store/testing.js';
import { createCallDesk, SIGNALLING_LOST_MEDIA_STOPPED, SIGNALLING_LOST_NO_MEDIA, type CallDesk } from './desk.js';
import { getCall, listCallbacks } from './queries.js';
import type { CallFactSink, CallOffer, CallSignalling } from './signalling.js';

const { tempDir, open } = useTempStores('vigie-desk-');

type Op = keyof CallSignalling;
interface Fake extends CallSignalling {
  calls: { op: Op; args: unknown[] }[];
  /** The next command of this kind waits until released (a far end that is slow or never answers). */
  hold(op: Op): { release: () => void; fail: (e: Error) => void };
}

const fakeSignalling = (): Fake => {
  const calls: { op: Op; args: unknown[] }[] = [];
  const held = new Map<Op, { promise: Promise<void>; release: () => void; fail: (e: Error) => void }>();
  const run = async (op: Op, args: unknown[]): Promise<void> => {
    calls.push({ op, args });
    const h = held.get(op);
    if (h !== undefined) {
      held.delete(op);
      await h.promise;
    }
  };
  return {
    calls,
    hold(op) {
      let release = (): void => undefined;
      let fail: (e: Error) => void = () => undefined;
      const promise = new Promise<void>((resolve, reject) => {
        release = resolve;
        fail = reject;
      });
      held.set(op, { promise, release, fail });
      return { release, fail };
    },
    accept: (sid) => run('accept', [sid]),
    reject: (sid, code) => run('reject', [sid, code]),
    bye: (sid) => run('bye', [sid]),
    cancel: (sid) => run('cancel', [sid]),
    reinvite: (sid, mode) => run('reinvite', [sid, mode]),
    refer: (sid, target, replacesSid) => run('refer', [sid, target, replacesSid]),
    dtmf: (sid, digits) => run('dtmf', [sid, digits]),
    dial: async (sid, target) => {
      await run('dial', [sid, target]);
      return { sipCallId: `out-${sid}`, number: target };
    },
    mute: (sid, muted) => run('mute', [sid, muted]),
    dispose: (sid) => run('dispose', [sid]),
  };
};

const offer = (sid: string, over: Partial<CallOffer> = {}): CallOffer => ({
  sid,
  sipCallId: `sip-${sid}`,
  headers: { to: '<sip:5000@x>', pCalledPartyId: '<sip:18@x>' },
  fromUser: '0687123456',
  displayName: 'Jean\u202E Dupont',
  ...over,
});

const setup = (
  attach: { mediaWatched?: boolean } = { mediaWatched: true },
): {
  desk: CallDesk;
  sink: CallFactSink;
  fake: Fake;
  events: CallsEvent[];
  db: ReturnType<typeof open>['db'];
} => {
  const store = open(tempDir());
  const events: CallsEvent[] = [];
  let t = 1_000;
  const desk = createCallDesk({ store, operator: () => 'Marie', emit: (e) => events.push(e), now: () => (t += 10) });
  const fake = fakeSignalling();
  const sink = desk.attach(fake, {
    lines: { lines: [{ number: '18', label: 'Pompiers 18', priority: 100 }] },
    ...attach,
  });
  return { desk, sink, fake, events, db: store.db };
};

const types = (db: ReturnType<typeof open>['db'], callId: string): string[] =>
  (db.prepare(`SELECT type, payload FROM events ORDER BY seq`).all() as { type: string; payload: string }[])
    .filter((r) => (JSON.parse(r.payload) as { callId?: string }).callId === callId)
    .map((r) => r.type);

describe('call desk (pure domain, fake signalling)', () => {
  it('refuses live commands while no telephony is attached', async () => {
    const store = open(tempDir());
    const desk = createCallDesk({ store, operator: () => 'Marie' });
    await expect(desk.answerNext()).rejects.toThrow(/Téléphonie non configurée/);
    expect(desk.queue()).toEqual({ ringing: [], mine: [] });
  });

  it('offer → ringing on its line; answer-next sends accept; BYE then terminated is caller_hangup', async () => {
    const { desk, sink, fake, db } = setup();
    expect(sink.offer(offer('i1'))).toBe(true);
    const [ringing] = desk.queue().ringing;
    expect(ringing).toMatchObject({
      line: { label: 'Pompiers 18', priority: 100 },
      caller: { number: '0687123456', name: 'Jean Dupont' },
    });
    const answered = await desk.answerNext();
    expect(fake.calls).toEqual([{ op: 'accept', args: ['i1'] }]);
    expect(answered.state).toBe('active');
    sink.report({ kind: 'bye', sid: 'i1' });
    sink.report({ kind: 'terminated', sid: 'i1' });
    expect(getCall(db, answered.id)).toMatchObject({ cause: 'caller_hangup', operator: 'Marie' });
    expect(types(db, answered.id)).toEqual(['call.offered', 'call.answered', 'call.ended']);
  });

  it('hold waits for the ACK (RFC 3261 §14.1), then sends the re-INVITE and logs call.held', async () => {
    const { desk, sink, fake } = setup();
    sink.offer(offer('i1'));
    const call = await desk.answerNext();
    const held = desk.hold(call.id);
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.calls.map((c) => c.op)).toEqual(['accept']);
    sink.report({ kind: 'confirmed', sid: 'i1' });
    expect((await held).state).toBe('held');
    expect(fake.calls.at(-1)).toEqual({ op: 'reinvite', args: ['i1', 'hold'] });
  });

  it('a command telephony refuses (e.g. timed out) leaves the call as it was, and never blocks another call', async () => {
    const { desk, sink, fake } = setup();
    sink.offer(offer('i1'));
    sink.offer(offer('i2', { headers: { to: '<sip:5000@x>' } }));
    const [first, second] = desk.queue().ringing;
    if (first === undefined || second === undefined) throw new Error('deux appels attendus');
    const slow = fake.hold('accept');
    const answering = desk.answer(first.id, { holdOthers: false });
    // The other call's command runs while the first one waits for telephony.
    await expect(desk.hangup(second.id)).resolves.toEqual({ callId: second.id });
    await expect(desk.answer(first.id)).rejects.toThrow(/déjà en cours/);
    slow.fail(new Error('Décroché : pas de réponse en 5 s.'));
    await expect(answering).rejects.toThrow(/pas de réponse en 5 s/);
    expect(desk.queue().ringing.map((c) => c.id)).toEqual([first.id]);
  });

  it('CANCEL with "answered elsewhere" ends answered_elsewhere (no callback); a plain CANCEL is abandoned with one', () => {
    const { sink, db } = setup();
    sink.offer(offer('i1'));
    sink.offer(offer('i2'));
    sink.report({ kind: 'cancelled', sid: 'i1', elsewhere: true });
    sink.report({ kind: 'terminated', sid: 'i1' });
    sink.report({ kind: 'cancelled', sid: 'i2', elsewhere: false });
    sink.report({ kind: 'terminated', sid: 'i2' });
    const causes = (db.prepare(`SELECT cause FROM calls ORDER BY offered_at`).all() as { cause: string }[]).map(
      (r) => r.cause,
    );
    expect(causes).toEqual(['answered_elsewhere', 'abandoned']);
    expect(listCallbacks(db)).toHaveLength(1);
  });

  it('registration lost ends ringing calls abandoned (and disposes them); the SIP stack lost ends every call failed', async () => {
    const { desk, sink, fake, db } = setup();
    sink.offer(offer('i1'));
    sink.offer(offer('i2'));
    const active = await desk.answer(desk.queue().ringing[0]?.id ?? '', { holdOthers: false });
    sink.report({ kind: 'registrationLost' });
    expect(desk.queue().ringing).toEqual([]);
    expect(desk.queue().mine.map((c) => c.id)).toEqual([active.id]);
    expect(fake.calls.filter((c) => c.op === 'dispose').map((c) => c.args[0])).toHaveLength(1);
    sink.report({ kind: 'signallingLost', detail: 'processus SIP arrêté pendant l’appel' });
    expect(desk.queue().mine).toEqual([]);
    expect(getCall(db, active.id)).toMatchObject({ cause: 'failed' });
    expect(() => sink.report({ kind: 'terminated', sid: 'unknown' })).not.toThrow();
  });

  it('registration lost: the ringing call is « perdu pendant la coupure », a callback; the one in conversation is flagged and ends failed once its media stops', async () => {
    const { desk, sink, fake, db } = setup();
    sink.offer(offer('i1', { fromUser: '0687000001' }));
    sink.offer(offer('i2', { fromUser: '0687000002' }));
    const [first] = desk.queue().ringing;
    const talking = await desk.answer(first?.id ?? '', { holdOthers: false });
    const ringing = desk.queue().ringing[0];
    if (ringing === undefined) throw new Error('un appel en sonnerie attendu');
    sink.report({ kind: 'registrationLost' });
    expect(getCall(db, ringing.id)).toMatchObject({ cause: 'abandoned', lostInOutage: true });
    expect(listCallbacks(db)).toMatchObject([
      { callId: ringing.id, number: ringing.caller.number, lostInOutage: true },
    ]);
    expect(desk.queue().mine).toMatchObject([{ id: talking.id, state: 'active', signallingLost: true }]);
    // A second loss does not flag twice; a no-rtp on another call ends nothing.
    sink.report({ kind: 'registrationLost' });
    sink.report({ kind: 'mediaStopped', sid: 'i2' });
    expect(desk.queue().mine).toHaveLength(1);
    sink.report({ kind: 'mediaStopped', sid: 'i1' });
    expect(desk.queue().mine).toEqual([]);
    expect(getCall(db, talking.id)).toMatchObject({
      cause: 'failed',
      endDetail: SIGNALLING_LOST_MEDIA_STOPPED,
      lostInOutage: false,
    });
    // Sessions are dropped, the ringing one first (i2: i1 was answered, first in the queue).
    expect(fake.calls.filter((c) => c.op === 'dispose').map((c) => c.args[0])).toEqual(['i2', 'i1']);
  });

  it('registration lost with null media (nothing to watch): the call in conversation ends failed at once; without a loss, no-rtp ends nothing', async () => {
    const { desk, sink, db } = setup({ mediaWatched: false });
    sink.offer(offer('i1'));
    const a = await desk.answer(desk.queue().ringing[0]?.id ?? '', { holdOthers: false });
    sink.report({ kind: 'mediaStopped', sid: 'i1' });
    expect(desk.queue().mine).toMatchObject([{ id: a.id, signallingLost: false }]);
    sink.report({ kind: 'registrationLost' });
    expect(desk.queue().mine).toEqual([]);
    expect(getCall(db, a.id)).toMatchObject({ cause: 'failed', endDetail: SIGNALLING_LOST_NO_MEDIA });
    expect(listCallbacks(db)).toEqual([]);
  });

  it('blind transfer: REFER, then NOTIFY 200 ends the call transferred; NOTIFY 486 reports the failure and keeps it', async () => {
    const { desk, sink, fake, events, db } = setup();
    sink.offer(offer('i1'));
    sink.offer(offer('i2'));
    const [a, b] = desk.queue().ringing;
    if (a === undefined || b === undefined) throw new Error('deux appels attendus');
    await desk.answer(a.id, { holdOthers: false });
    sink.report({ kind: 'confirmed', sid: 'i1' });
    await desk.transfer({ callId: a.id, target: '1106', mode: 'blind' });
    expect(fake.calls.at(-1)).toEqual({ op: 'refer', args: ['i1', '1106', undefined] });
    sink.report({ kind: 'transferNotify', sid: 'i1', code: 200 });
    expect(getCall(db, a.id)).toMatchObject({ cause: 'transferred', transferredTo: '1106' });
    expect(types(db, a.id)).toEqual(['call.offered', 'call.answered', 'call.transferred', 'call.ended']);

    await desk.answer(b.id, { holdOthers: false });
    sink.report({ kind: 'confirmed', sid: 'i2' });
    await desk.transfer({ callId: b.id, target: '1199', mode: 'blind' });
    sink.report({ kind: 'transferNotify', sid: 'i2', code: 486 });
    expect(events.find((e) => e.type === 'call.transferFailed')).toMatchObject({ callId: b.id, sipCode: 486 });
    expect(desk.queue().mine.find((c) => c.id === b.id)?.state).toBe('active');
  });

  it('dial: offered out, active on confirmed; a 486 then terminated is busy', async () => {
    const { desk, sink, db } = setup();
    const out = await desk.dial('1108');
    expect(out.state).toBe('dialing');
    sink.report({ kind: 'confirmed', sid: out.id });
    expect(desk.queue().mine[0]?.state).toBe('active');
    const busy = await desk.dial('1109');
    // Dialling holds the call in conversation first: it needs its re-INVITE answered.
    expect(desk.queue().mine.find((c) => c.id === out.id)?.state).toBe('held');
    sink.report({ kind: 'rejected', sid: busy.id, code: 486 });
    sink.report({ kind: 'terminated', sid: busy.id });
    expect(getCall(db, busy.id)).toMatchObject({ cause: 'busy', direction: 'out' });
    const ended = db.prepare(`SELECT payload FROM events WHERE type = 'call.ended'`).get() as { payload: string };
    expect(JSON.parse(ended.payload)).toMatchObject({ callId: busy.id, cause: 'busy', sipCode: 486 });
  });

  it('dial: a 200 OK reported before the dial returns still makes the call active', async () => {
    const { desk, sink, fake, db } = setup();
    // The far end answers at once: its fact arrives while the desk still awaits the dial's result.
    const slow = fake.hold('dial');
    const dialling = desk.dial('1107');
    await new Promise((r) => setImmediate(r));
    const sid = fake.calls.find((c) => c.op === 'dial')?.args[0];
    if (typeof sid !== 'string') throw new Error('dial non demandé');
    sink.report({ kind: 'confirmed', sid });
    slow.release();
    const out = await dialling;
    expect(desk.queue().mine.find((c) => c.id === out.id)?.state).toBe('active');
    expect(getCall(db, out.id)).toMatchObject({ direction: 'out', answeredAt: expect.any(Number) });
  });

  it('an offer the store cannot append is refused (false), never rings', () => {
    const { sink, desk } = setup();
    // A Call-ID the event schema refuses stands for any append failure.
    expect(sink.offer(offer('i1', { sipCallId: '' }))).toBe(false);
    expect(desk.queue().ringing).toEqual([]);
  });

  it('F12 ends the call even when the BYE fails, and says why in its detail', async () => {
    const { desk, sink, fake, db } = setup();
    sink.offer(offer('i1'));
    const call = await desk.answerNext();
    fake.hold('bye').fail(new Error('délai dépassé'));
    await desk.hangup(call.id);
    expect(desk.queue().mine).toEqual([]);
    expect(getCall(db, call.id)).toMatchObject({ cause: 'operator_hangup' });
  });

  it('close hangs up what is still up and logs it failed ("poste arrêté")', async () => {
    const { desk, sink, fake, db } = setup();
    sink.offer(offer('i1'));
    const call = await desk.answerNext();
    await sink.close();
    expect(fake.calls.at(-1)).toEqual({ op: 'bye', args: ['i1'] });
    expect(getCall(db, call.id)).toMatchObject({ cause: 'failed' });
    await expect(desk.answerNext()).rejects.toThrow(/Téléphonie non configurée/);
  });
});
