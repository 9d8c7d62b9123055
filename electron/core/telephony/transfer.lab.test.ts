/**
 * Transfers through the whole chain (blind, failed, attended with Replaces): the core, the supervised SIP
 * child, a real Kamailio and sip.js peers acting on the REFER. Same set-up as calls.lab.test.ts.
 */
import { Inviter, SessionState, UserAgent, type Invitation } from 'sip.js';
import { describe, expect, it } from 'vitest';
import { getCall } from '../calls/queries.js';
import { startTestUa } from '../../testing/calls/ua.js';
import { callIdOf, endedAs, eventTypesOf, ringing, useLabCalls } from '../../testing/calls/lab-calls.js';

const env = useLabCalls('vigie-transfer-lab-');

describe('transfers through the SIP child process and Kamailio', () => {
  it('blind transfer: REFER to the caller, who calls the target; our leg ends as transferred', async () => {
    const p = await env.startPosition('transfer', '1105');
    const target = await startTestUa({ wsUrl: env.lab.wsUrl, user: '1106' });
    const callerUa = await startTestUa({ wsUrl: env.lab.wsUrl, user: '2105' });
    env.cleanups.push(
      () => target.stop(),
      () => callerUa.stop(),
    );
    // The target answers whatever arrives and remembers who referred it.
    const targetGot = new Promise<{ referredBy: string | undefined; from: string | undefined }>((resolve) => {
      target.onInvite((invitation: Invitation) => {
        resolve({ referredBy: invitation.request.getHeader('Referred-By'), from: invitation.remoteIdentity.uri.user });
        void invitation.accept();
      });
    });
    // The caller is a sip.js UA that acts on REFER (RFC 3515): accept, call the target, report by NOTIFY.
    const uri = UserAgent.makeURI('sip:1105@127.0.0.1');
    if (uri === undefined) throw new Error('URI');
    const inviter = new Inviter(callerUa.userAgent, uri);
    inviter.delegate = {
      onRefer: (referral) => {
        void referral.accept().then(() => {
          const onward = referral.makeInviter();
          onward.stateChange.addListener((s) => {
            if (s === SessionState.Established) {
              inviter.dialog?.notify(undefined, {
                extraHeaders: ['Event: refer', 'Subscription-State: terminated;reason=noresource'],
                body: { contentDisposition: 'render', contentType: 'message/sipfrag', content: 'SIP/2.0 200 OK\r\n' },
              });
            }
          });
          void onward.invite();
        });
      },
    };
    await inviter.invite();
    const offered = await p.waitFor(ringing, 'sonnerie');
    const id = callIdOf(offered);
    await p.desk.answer(id);
    await p.desk.transfer({ callId: id, target: '1106', mode: 'blind' });
    const got = await targetGot;
    expect(got.from).toBe('2105');
    expect(got.referredBy).toMatch(/1105@/);
    await p.waitFor(endedAs('transferred'), 'fin par transfert');
    expect(getCall(p.store.db, id)).toMatchObject({ cause: 'transferred', transferredTo: '1106' });
    expect(eventTypesOf(p.store, id)).toEqual(['call.offered', 'call.answered', 'call.transferred', 'call.ended']);
    // Our BYE ended the original dialog at the caller too.
    await new Promise<void>((resolve) => {
      if (inviter.state === SessionState.Terminated) return resolve();
      inviter.stateChange.addListener((s) => s === SessionState.Terminated && resolve());
    });
  });

  it('a failed blind transfer (NOTIFY 486 from the transferee) is reported and leaves the call in conversation', async () => {
    const p = await env.startPosition('transfer-fails', '1117');
    const callerUa = await startTestUa({ wsUrl: env.lab.wsUrl, user: '2117' });
    env.cleanups.push(() => callerUa.stop());
    const uri = UserAgent.makeURI('sip:1117@127.0.0.1');
    if (uri === undefined) throw new Error('URI');
    const inviter = new Inviter(callerUa.userAgent, uri);
    inviter.delegate = {
      onRefer: (referral) => {
        void referral.accept().then(() =>
          inviter.dialog?.notify(undefined, {
            extraHeaders: ['Event: refer', 'Subscription-State: terminated;reason=noresource'],
            body: {
              contentDisposition: 'render',
              contentType: 'message/sipfrag',
              content: 'SIP/2.0 486 Busy Here\r\n',
            },
          }),
        );
      },
    };
    await inviter.invite();
    const id = callIdOf(await p.waitFor(ringing, 'sonnerie'));
    await p.desk.answer(id);
    await p.desk.transfer({ callId: id, target: '1199', mode: 'blind' });
    const failed = await p.waitFor((e) => e.type === 'call.transferFailed', 'échec du transfert');
    expect(failed).toMatchObject({ callId: id, target: '1199', sipCode: 486 });
    expect(p.desk.queue().mine.find((c) => c.id === id)?.state).toBe('active');
    await p.desk.hangup(id);
    expect(eventTypesOf(p.store, id)).toEqual(['call.offered', 'call.answered', 'call.ended']);
    expect(getCall(p.store.db, id)?.cause).toBe('operator_hangup');
  });

  it('attended transfer: consultation call (the caller is held), then REFER with Replaces; both legs end as transferred', async () => {
    const p = await env.startPosition('attended', '1109');
    const target = await startTestUa({ wsUrl: env.lab.wsUrl, user: '1110' });
    const callerUa = await startTestUa({ wsUrl: env.lab.wsUrl, user: '2109' });
    env.cleanups.push(
      () => target.stop(),
      () => callerUa.stop(),
    );
    // The target answers the consultation, then the transferee's INVITE with Replaces (RFC 3891), and
    // ends the replaced dialog itself with BYE, as RFC 3891 §3 asks of the UA that accepts a Replaces.
    const sessions: Invitation[] = [];
    const replaced = new Promise<string>((resolve) => {
      target.onInvite((invitation: Invitation) => {
        sessions.push(invitation);
        const replaces = invitation.request.getHeader('Replaces');
        void invitation.accept().then(() => {
          if (replaces === undefined) return;
          void sessions[0]?.bye();
          resolve(replaces);
        });
      });
    });
    const uri = UserAgent.makeURI('sip:1109@127.0.0.1');
    if (uri === undefined) throw new Error('URI');
    const inviter = new Inviter(callerUa.userAgent, uri);
    const callerSawHold = new Promise<void>((resolve) => {
      inviter.delegate = {
        onInvite: () => resolve(),
        onRefer: (referral) => {
          void referral.accept().then(() => {
            const onward = referral.makeInviter();
            onward.stateChange.addListener((s) => {
              if (s === SessionState.Established) {
                inviter.dialog?.notify(undefined, {
                  extraHeaders: ['Event: refer', 'Subscription-State: terminated;reason=noresource'],
                  body: { contentDisposition: 'render', contentType: 'message/sipfrag', content: 'SIP/2.0 200 OK\r\n' },
                });
              }
            });
            void onward.invite();
          });
        },
      };
    });
    await inviter.invite();
    const id = callIdOf(await p.waitFor(ringing, 'sonnerie'));
    await p.desk.answer(id);
    const consult = await p.desk.dial('1110');
    await callerSawHold;
    expect(p.desk.queue().mine.find((c) => c.id === id)?.state).toBe('held');
    await p.waitFor(
      (e) => e.type === 'call.state' && e.call.id === consult.id && e.call.state === 'active',
      'consultation établie',
    );
    await p.desk.transfer({ callId: id, target: '1110', mode: 'attended', consultCallId: consult.id });
    expect(await replaced).toMatch(/to-tag=.*from-tag=|from-tag=.*to-tag=/);
    await p.desk.whenEnded(id);
    await p.desk.whenEnded(consult.id);
    expect(getCall(p.store.db, id)).toMatchObject({ cause: 'transferred', transferredTo: '1110' });
    expect(getCall(p.store.db, consult.id)).toMatchObject({ cause: 'transferred', direction: 'out' });
    expect(eventTypesOf(p.store, id)).toEqual([
      'call.offered',
      'call.answered',
      'call.held',
      'call.transferred',
      'call.ended',
    ]);
  });
});
