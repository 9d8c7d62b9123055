/**
 * Calls through the whole chain: the call desk in the core, telephony's supervised SIP child process,
 * a real Kamailio (the lab), real SIPp callers, and sip.js peers where a caller must act on a REFER. Each
 * test waits for named call events, never for fixed sleeps. Transfers are in transfer.lab.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { Inviter, UserAgent, type Invitation } from 'sip.js';
import { describe, expect, it } from 'vitest';
import { moduleSchemas } from '../modules.js';
import { labCall, labDown, labKill, labUp, sendRawUdp } from '../../lab/index.js';
import { token } from '../../lab/udp.js';
import { openStore } from '../store/index.js';
import { SIGNALLING_LOST_NO_MEDIA } from '../calls/desk.js';
import { getCall, listCallbacks } from '../calls/queries.js';
import type { TestNullMedia } from '../../testing/calls/null-media.js';
import { runSipp } from '../../testing/calls/sipp.js';
import { startTestUa } from '../../testing/calls/ua.js';
import { callIdOf, endedAs, eventTypesOf, ringing, useLabCalls } from '../../testing/calls/lab-calls.js';

const env = useLabCalls('vigie-calls-lab-');

describe('calls through the SIP child process and Kamailio', () => {
  it('an incoming SIPp call is offered on its line, answered with answer-next, and logged when the caller hangs up', async () => {
    const p = await env.startPosition('answered', '1101');
    const caller = labCall({ dir: env.lab.dir, to: '1101', line: '18', from: '0687123456', ringS: 20, talkS: 1 });
    const offered = await p.waitFor(ringing, 'appel en sonnerie');
    expect(p.desk.queue().ringing.map((c) => c.line.label)).toEqual(['Pompiers 18']);
    const answered = await p.desk.answerNext();
    expect(answered.state).toBe('active');
    const result = await caller;
    expect(result.successful, result.output).toBe(1);
    expect(result.exitCode).toBe(0);
    const id = callIdOf(offered);
    await p.desk.whenEnded(id);
    const call = getCall(p.store.db, id);
    expect(call).toMatchObject({
      state: 'ended',
      cause: 'caller_hangup',
      direction: 'in',
      line: { number: '18', label: 'Pompiers 18', priority: 100 },
      caller: { number: '0687123456' },
      operator: 'opérateur answered',
      position: p.store.origin,
    });
    expect(call?.waitMs).toBeGreaterThanOrEqual(0);
    expect(call?.talkMs).toBeGreaterThan(0);
    expect(eventTypesOf(p.store, id)).toEqual(['call.offered', 'call.answered', 'call.ended']);
    expect(listCallbacks(p.store.db)).toEqual([]);
  });

  it('a caller who cancels before answer is abandoned and gets a pending callback that survives a restart', async () => {
    const p = await env.startPosition('abandoned', '1102');
    const result = await labCall({ dir: env.lab.dir, to: '1102', line: '5000', from: '0687999', ringS: 1, talkS: 1 });
    expect(result.successful, result.output).toBe(1);
    const ended = await p.waitFor(endedAs('abandoned'), 'appel abandonné');
    const id = callIdOf(ended);
    expect(getCall(p.store.db, id)).toMatchObject({
      cause: 'abandoned',
      answeredAt: null,
      talkMs: null,
      line: { label: 'Standard' },
    });
    const before = listCallbacks(p.store.db);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ callId: id, number: '0687999', status: 'pending' });
    // Pending callbacks are projection rows rebuilt from events: they survive a restart and a rebuild.
    const dataDir = join(env.root, 'abandoned');
    p.store.close();
    const reopened = openStore({ dataDir, modules: moduleSchemas(), backup: false });
    try {
      reopened.rebuild();
      expect(listCallbacks(reopened.db)).toEqual(before);
    } finally {
      reopened.close();
    }
    // The cleanup closes the first store again: reopen it for the manager's sake.
    Object.assign(p, { store: openStore({ dataDir, modules: moduleSchemas(), backup: false }) });
    env.cleanups.push(() => p.store.close());
  });

  it('five callers give up after 1 s of ringing: five abandoned calls and five pending callbacks (the issue acceptance)', async () => {
    const p = await env.startPosition('five', '1112');
    const result = await labCall({ dir: env.lab.dir, to: '1112', count: 5, rate: 10, ringS: 1, talkS: 1 });
    expect(result.successful, result.output).toBe(5);
    // Resolves once the fifth abandoned call has been logged (the predicate counts what arrived so far).
    await p.waitFor(() => p.events.filter(endedAs('abandoned')).length >= 5, '5 appels abandonnés');
    const causes = (p.store.db.prepare(`SELECT cause FROM calls`).all() as { cause: string }[]).map((r) => r.cause);
    expect(causes).toEqual(['abandoned', 'abandoned', 'abandoned', 'abandoned', 'abandoned']);
    expect(listCallbacks(p.store.db)).toHaveLength(5);
  });

  it('answering a second call puts the call in progress on hold first', async () => {
    const p = await env.startPosition('second', '1113');
    const callers = await Promise.all([
      startTestUa({ wsUrl: env.lab.wsUrl, user: '2113' }),
      startTestUa({ wsUrl: env.lab.wsUrl, user: '2114' }),
    ]);
    env.cleanups.push(...callers.map((c) => () => c.stop()));
    const uri = UserAgent.makeURI('sip:1113@127.0.0.1');
    if (uri === undefined) throw new Error('URI');
    const [first, second] = callers.map((c) => new Inviter(c.userAgent, uri));
    if (first === undefined || second === undefined) throw new Error('appelants');
    const firstHeld = new Promise<string>((resolve) => {
      first.delegate = { onInvite: (request) => resolve(request.body) };
    });
    await first.invite();
    const a = callIdOf(await p.waitFor(ringing, 'premier appel'));
    await p.desk.answer(a);
    await second.invite();
    const b = callIdOf(await p.waitFor((e) => ringing(e) && e.call.id !== a, 'second appel'));
    await p.desk.answer(b);
    expect(await firstHeld).toMatch(/a=sendonly/);
    const mine = p.desk.queue().mine;
    expect(mine.map((c) => [c.id, c.state])).toEqual([
      [a, 'held'],
      [b, 'active'],
    ]);
    await p.desk.hangup(b);
    await p.desk.hangup(a);
    expect(eventTypesOf(p.store, a)).toEqual(['call.offered', 'call.answered', 'call.held', 'call.ended']);
    expect(getCall(p.store.db, a)?.cause).toBe('operator_hangup');
  });

  it('auto-answer (serve --auto-answer): each call is answered after the delay, then logged when the caller hangs up', async () => {
    const p = await env.startPosition('auto', '1114', { autoAnswerSeconds: 0.3 });
    const result = await labCall({ dir: env.lab.dir, to: '1114', count: 2, rate: 10, ringS: 10, talkS: 0.5 });
    expect(result.successful, result.output).toBe(2);
    await p.waitFor(() => p.events.filter(endedAs('caller_hangup')).length >= 2, '2 appels terminés');
    const rows = p.store.db.prepare(`SELECT wait_ms, talk_ms, cause FROM calls`).all() as {
      wait_ms: number;
      talk_ms: number;
      cause: string;
    }[];
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.cause).toBe('caller_hangup');
      expect(r.wait_ms).toBeGreaterThanOrEqual(300);
      expect(r.talk_ms).toBeGreaterThan(0);
    }
  });

  it('a hostile INVITE (huge display name with bidi override and separators, huge called-number headers) is offered safely, and the position keeps working', async () => {
    const p = await env.startPosition('hostile', '1115');
    const tag = token();
    const body = [
      'v=0',
      'o=- 1 1 IN IP4 127.0.0.1',
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 4000 RTP/AVP 0',
      '',
    ].join('\r\n');
    const invite = [
      `INVITE sip:1115@${env.lab.sipUdp} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:@LOCAL_PORT@;branch=z9hG4bK${tag};rport`,
      'Max-Forwards: 70',
      `From: "${'Ééé\u202E\u2028\t'.repeat(400)}" <sip:0687000@127.0.0.1:@LOCAL_PORT@>;tag=${tag}`,
      `To: <sip:1115@${env.lab.sipUdp}>`,
      `P-Called-Party-ID: <sip:${'9'.repeat(3000)}@127.0.0.1>`,
      `Diversion: ${Array.from({ length: 200 }, (_, i) => `<sip:${i}@x>;reason=unknown`).join(', ')}`,
      `Call-ID: hostile-${tag}@127.0.0.1`,
      'CSeq: 1 INVITE',
      `Contact: <sip:0687000@127.0.0.1:@LOCAL_PORT@>`,
      'Content-Type: application/sdp',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
    // Kamailio relays it to the position; the operator declines it (486) and the reply comes back to us.
    const replies = sendRawUdp(env.lab.sipUdp, invite, 15_000, (r) => /^SIP\/2\.0 [3-6]\d\d/.test(r));
    const offered = await p.waitFor(ringing, 'INVITE hostile offert');
    if (offered.type !== 'call.state') throw new Error('type');
    expect(offered.call.caller.number).toBe('0687000');
    expect(offered.call.caller.name?.length).toBeLessThanOrEqual(120);
    expect(offered.call.caller.name).not.toMatch(/[\p{Cc}\p{Cf}\u2028]/u);
    expect(offered.call.line).toMatchObject({ label: 'Ligne non configurée' });
    await p.desk.hangup(offered.call.id);
    expect((await replies).some((r) => r.startsWith('SIP/2.0 486'))).toBe(true);
    expect(getCall(p.store.db, offered.call.id)?.cause).toBe('operator_hangup');
    // Still registered and taking calls.
    const result = await labCall({ dir: env.lab.dir, to: '1115', ringS: 1, talkS: 1 });
    expect(result.successful, result.output).toBe(1);
    await p.waitFor(endedAs('abandoned'), 'appel normal après le hostile');
  });

  it('a ringing call whose SIP server dies leaves the queue as abandoned, with a callback', async () => {
    const lab2 = await labUp({ dir: join(env.root, 'lab-dies') });
    env.cleanups.push(() => labDown({ dir: lab2.dir }));
    const p = await env.startPosition('dies', '1116', {}, lab2.wsUrl);
    const callerUa = await startTestUa({ wsUrl: lab2.wsUrl, user: '2116' });
    env.cleanups.push(() => callerUa.stop());
    const uri = UserAgent.makeURI('sip:1116@127.0.0.1');
    if (uri === undefined) throw new Error('URI');
    await new Inviter(callerUa.userAgent, uri).invite();
    const id = callIdOf(await p.waitFor(ringing, 'sonnerie'));
    await labKill(lab2.dir);
    await p.waitFor(endedAs('abandoned'), 'appel clos après la perte du serveur');
    expect(p.desk.queue().ringing).toEqual([]);
    expect(listCallbacks(p.store.db).map((c) => c.callId)).toEqual([id]);
    const ended = p.store.db.prepare(`SELECT payload FROM events WHERE type = 'call.ended'`).get() as {
      payload: string;
    };
    expect(JSON.parse(ended.payload)).toMatchObject({
      callId: id,
      cause: 'abandoned',
      detail: 'liaison SIP perdue pendant la sonnerie',
    });
  });

  it('Kamailio killed with one call ringing and one in conversation (null media): « perdu pendant la coupure » with its callback, and the other ended failed at once', async () => {
    const lab3 = await labUp({ dir: join(env.root, 'lab-outage') });
    env.cleanups.push(() => labDown({ dir: lab3.dir }));
    const p = await env.startPosition('outage', '1117', {}, lab3.wsUrl);
    const uri = UserAgent.makeURI('sip:1117@127.0.0.1');
    if (uri === undefined) throw new Error('URI');
    const talker = await startTestUa({ wsUrl: lab3.wsUrl, user: '2117' });
    env.cleanups.push(() => talker.stop());
    await new Inviter(talker.userAgent, uri).invite();
    const talking = callIdOf(await p.waitFor(ringing, 'premier appel'));
    await p.desk.answer(talking);
    await p.waitFor((e) => e.type === 'call.state' && e.call.id === talking && e.call.state === 'active', 'en ligne');
    const ringer = await startTestUa({ wsUrl: lab3.wsUrl, user: '2118' });
    env.cleanups.push(() => ringer.stop());
    await new Inviter(ringer.userAgent, uri).invite();
    const lost = callIdOf(await p.waitFor((e) => ringing(e) && e.call.id !== talking, 'second appel'));
    await labKill(lab3.dir);
    await Promise.all([p.desk.whenEnded(lost), p.desk.whenEnded(talking)]);
    expect(getCall(p.store.db, lost)).toMatchObject({ cause: 'abandoned', lostInOutage: true });
    expect(listCallbacks(p.store.db)).toMatchObject([{ callId: lost, lostInOutage: true }]);
    expect(getCall(p.store.db, talking)).toMatchObject({
      cause: 'failed',
      endDetail: SIGNALLING_LOST_NO_MEDIA,
      lostInOutage: false,
    });
    expect(p.desk.queue()).toEqual({ ringing: [], mine: [] });
  });

  it('two positions with the same AOR: one answers, the other logs answered_elsewhere (CANCEL with Reason), no callback', async () => {
    const a = await env.startPosition('posA', '1103');
    const b = await env.startPosition('posB', '1103');
    const caller = labCall({ dir: env.lab.dir, to: '1103', line: '18', from: '0687555', ringS: 20, talkS: 1 });
    const [offeredA] = await Promise.all([a.waitFor(ringing, 'sonnerie A'), b.waitFor(ringing, 'sonnerie B')]);
    await a.desk.answer(callIdOf(offeredA));
    const elsewhere = await b.waitFor(endedAs('answered_elsewhere'), 'répondu ailleurs');
    const result = await caller;
    expect(result.successful, result.output).toBe(1);
    await a.desk.whenEnded(callIdOf(offeredA));
    expect(getCall(a.store.db, callIdOf(offeredA))?.cause).toBe('caller_hangup');
    expect(getCall(b.store.db, callIdOf(elsewhere))).toMatchObject({ cause: 'answered_elsewhere', answeredAt: null });
    expect(listCallbacks(b.store.db, { status: 'all' })).toEqual([]);
  });

  it('hold then resume send re-INVITEs with sendonly then sendrecv (SIPp checks the SDP), both logged', async () => {
    const p = await env.startPosition('hold', '1104');
    const dir = mkdtempSync(join(env.root, 'sipp-hold-'));
    const caller = runSipp({
      dir,
      target: env.lab.sipUdp,
      service: '1104',
      scenario: { ringMs: 20_000, talkMs: 500, from: '0687444', line: '18', expectHoldResume: true },
      timeoutMs: 60_000,
    });
    const offered = await p.waitFor(ringing, 'sonnerie');
    const id = callIdOf(offered);
    await p.desk.answer(id);
    expect((await p.desk.hold(id)).state).toBe('held');
    await expect(p.desk.hold(id)).rejects.toThrow(/Impossible de mettre en attente un appel en attente/);
    expect((await p.desk.resume(id)).state).toBe('active');
    const result = await caller;
    expect(result.successful, result.output).toBe(1);
    await p.desk.whenEnded(id);
    expect(eventTypesOf(p.store, id)).toEqual([
      'call.offered',
      'call.answered',
      'call.held',
      'call.resumed',
      'call.ended',
    ]);
    expect(getCall(p.store.db, id)?.cause).toBe('caller_hangup');
  });

  it('outgoing call with DTMF by SIP INFO, then operator hang-up', async () => {
    const p = await env.startPosition('dial', '1107', { dtmfMethod: 'info' });
    const callee = await startTestUa({ wsUrl: env.lab.wsUrl, user: '1108' });
    env.cleanups.push(() => callee.stop());
    const infos: string[] = [];
    const calleeReady = new Promise<Invitation>((resolve) => {
      callee.onInvite((invitation) => {
        invitation.delegate = {
          onInfo: (info) => {
            infos.push(info.request.body);
            void info.accept();
          },
        };
        void invitation.accept().then(() => resolve(invitation));
      });
    });
    const dialled = await p.desk.dial('1108');
    expect(dialled.state).toBe('dialing');
    const calleeSession = await calleeReady;
    await p.waitFor(
      (e) => e.type === 'call.state' && e.call.id === dialled.id && e.call.state === 'active',
      'appel sortant établi',
    );
    await p.desk.dtmf(dialled.id, '1#');
    expect(infos).toEqual(['Signal=1\r\nDuration=160\r\n', 'Signal=#\r\nDuration=160\r\n']);
    expect((calleeSession.sessionDescriptionHandler as TestNullMedia).remoteSdp).toMatch(/m=audio/);
    expect((await p.desk.mute(dialled.id, true)).muted).toBe(true);
    expect(p.desk.queue().mine.find((c) => c.id === dialled.id)?.muted).toBe(true);
    await p.desk.hangup(dialled.id);
    await expect(p.desk.hangup(dialled.id)).rejects.toThrow(/terminé ou inconnu/);
    expect(getCall(p.store.db, dialled.id)).toMatchObject({
      direction: 'out',
      cause: 'operator_hangup',
      caller: { number: '1108' },
    });
  });
});
