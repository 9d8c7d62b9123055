/**
 * A call in conversation whose signalling died (issue 12 item 2), in a real core on a real SQLite file: the
 * desk flags it when the registration is lost, and the calls module's reactor ends it `failed` once the
 * page's watchdog reports no inbound RTP (a `voice.alarm` request, as the voice panel sends it). Telephony
 * is a fake signalling plugged into the `callDesk` port, with media watched as with the page's audio.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord, QueueSnapshot } from '../../contract/calls.js';
import type { ArgsOf, Method, Result, ResultOf } from '../../contract/index.js';
import { createCore, type Core } from '../index.js';
import type { CoreModule } from '../kernel/module.js';
import { coreModules } from '../modules.js';
import { SIGNALLING_LOST_MEDIA_STOPPED } from './desk.js';
import type { CallFactSink, CallSignalling } from './signalling.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const disposed: string[] = [];
const done = async (): Promise<void> => undefined;
const fakeSignalling: CallSignalling = {
  accept: done,
  reject: done,
  bye: done,
  cancel: done,
  reinvite: done,
  refer: done,
  dtmf: done,
  dial: async (_sid, target) => ({ sipCallId: 'out', number: target }),
  mute: done,
  dispose: async (sid) => void disposed.push(sid),
};

const start = async (): Promise<{ core: Core; sink: CallFactSink }> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-outage-'));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  writeFileSync(
    join(dataDir, 'vigie.json'),
    JSON.stringify({ positionName: 'POSTE-3', calls: { answerRequiresSignIn: false } }),
  );
  let sink: CallFactSink | undefined;
  const phone: CoreModule = {
    name: 'fakephone',
    eventTypes: [],
    projections: [],
    migrations: [],
    setup(ctx) {
      sink = ctx.port('callDesk').attach(fakeSignalling, {
        lines: { lines: [{ number: '18', label: 'Pompiers 18', priority: 100 }] },
        mediaWatched: true,
      });
      return {};
    },
  };
  const core = await createCore({ dataDir, log: () => {} }, [
    ...coreModules().filter((m) => m.name !== 'telephony'),
    phone,
  ]);
  cleanup.push(() => core.close());
  await core.started;
  if (sink === undefined) throw new Error('téléphonie factice non branchée');
  return { core, sink };
};

// The core answers untyped (it crosses a transport); the dispatcher parsed and checked it against the contract.
const call = async <M extends Method>(core: Core, method: M, args: ArgsOf<M>): Promise<ResultOf<M>> => {
  const r = (await core.request(method, args)) as Result<ResultOf<M>>;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const alarm = (core: Core, callId: string, which: 'no-rtp' | 'mic-silent', state: 'raised' | 'cleared') =>
  call(core, 'voice.alarm', { callId, alarm: which, state, forS: 5 });

describe('a call in conversation when the registration is lost', () => {
  it('is flagged, kept while its media flows, then ended failed with its detail on the no-RTP alarm', async () => {
    const { core, sink } = await start();
    sink.offer({ sid: 'a', sipCallId: 'sip-a', headers: { pCalledPartyId: '<sip:18@x>' }, fromUser: '0687000018' });
    const answered = await call(core, 'calls.answerNext', {});
    // Before any loss, the watchdog's alarm is only an alarm.
    await alarm(core, answered.id, 'no-rtp', 'raised');
    await core.settled();
    expect((await call(core, 'calls.queue', {})).mine).toMatchObject([{ id: answered.id, signallingLost: false }]);
    await alarm(core, answered.id, 'no-rtp', 'cleared');

    sink.report({ kind: 'registrationLost' });
    const flagged: QueueSnapshot = await call(core, 'calls.queue', {});
    expect(flagged.mine).toMatchObject([{ id: answered.id, state: 'active', signallingLost: true }]);
    // Another alarm (the operator's microphone) says nothing about the caller's audio.
    await alarm(core, answered.id, 'mic-silent', 'raised');
    await core.settled();
    expect((await call(core, 'calls.queue', {})).mine).toHaveLength(1);

    await alarm(core, answered.id, 'no-rtp', 'raised');
    await core.settled();
    expect(await call(core, 'calls.queue', {})).toEqual({ ringing: [], mine: [] });
    const logged: CallRecord[] = await call(core, 'calls.list', {});
    expect(logged[0]).toMatchObject({
      id: answered.id,
      cause: 'failed',
      endDetail: SIGNALLING_LOST_MEDIA_STOPPED,
      lostInOutage: false,
    });
    expect(disposed).toEqual(['a']);
    expect(await call(core, 'callbacks.list', {})).toEqual([]);
  });
});
