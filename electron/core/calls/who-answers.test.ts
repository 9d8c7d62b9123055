/**
 * Who answers (issue 10 item 9), in a real core on a real SQLite file: by default only a signed-in person
 * answers, refused in French otherwise, and the call log names that person, not the position. Telephony is
 * a fake signalling plugged into the `callDesk` port as the telephony module plugs sip.js in.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArgsOf, CallRecord, Method, Result, ResultOf } from '../../contract/index.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { provision } from '../../testing/roster.js';
import { createCore, type Core } from '../index.js';
import type { CoreModule } from '../kernel/module.js';
import { coreModules } from '../modules.js';
import { ANSWER_SIGN_IN_MESSAGE } from './index.js';
import type { CallFactSink, CallSignalling } from './signalling.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const fakeSignalling = (): CallSignalling => {
  const done = async (): Promise<void> => undefined;
  return {
    accept: done,
    reject: done,
    bye: done,
    cancel: done,
    reinvite: done,
    refer: done,
    dtmf: done,
    dial: async (_sid, target) => ({ sipCallId: 'out', number: target }),
    mute: done,
    dispose: done,
  };
};

/** A core with its real modules, telephony replaced by the fake above; returns the sink to offer calls to. */
const start = async (config: object): Promise<{ core: Core; sink: () => CallFactSink }> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-who-answers-'));
  // Before provision and createCore: a configuration they refuse must not leave the directory behind.
  cleanup.push(() => {
    removeDataDir(dataDir);
  });
  writeFileSync(join(dataDir, 'vigie.json'), JSON.stringify({ positionName: 'POSTE-2', ...config }));
  await provision(dataDir, [{ name: 'Léa Martin', role: 'operateur' }]);
  let sink: CallFactSink | undefined;
  const phone: CoreModule = {
    name: 'fakephone',
    eventTypes: [],
    projections: [],
    migrations: [],
    setup(ctx) {
      sink = ctx.port('callDesk').attach(fakeSignalling(), {
        lines: { lines: [{ number: '18', label: 'Pompiers 18', priority: 100 }] },
      });
      return {};
    },
  };
  const modules = coreModules().filter((m) => m.name !== 'telephony');
  const core = await createCore({ dataDir, log: () => {} }, [...modules, phone]);
  cleanup.push(() => core.close());
  await core.started;
  return {
    core,
    sink: () => {
      if (sink === undefined) throw new Error('téléphonie factice non branchée');
      return sink;
    },
  };
};

const ring = (sink: CallFactSink, sid: string): void => {
  sink.offer({ sid, sipCallId: `sip-${sid}`, headers: { pCalledPartyId: '<sip:18@x>' }, fromUser: '0687000018' });
};
// The core answers untyped (it crosses a transport); the dispatcher parsed and checked it against the contract.
const call = <M extends Method>(core: Core, method: M, args: ArgsOf<M>) =>
  core.request(method, args) as Promise<Result<ResultOf<M>>>;
const log = async (core: Core): Promise<CallRecord[]> => {
  const r = await call(core, 'calls.list', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('who answers a call', () => {
  it('by default: refused in French to nobody signed in, then answered and logged under the person', async () => {
    const { core, sink } = await start({});
    ring(sink(), 'a');
    const refused = await core.request('calls.answerNext', {});
    expect(refused).toEqual({ ok: false, error: { code: 'forbidden', message: ANSWER_SIGN_IN_MESSAGE } });
    const one = (await log(core))[0];
    const refusedById = await core.request('calls.answer', { callId: one?.id ?? '' });
    expect(refusedById).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await log(core))[0]?.state).toBe('ringing');

    const users = await call(core, 'users.list', {});
    const lea = users.ok ? users.value.find((u) => u.name === 'Léa Martin') : undefined;
    expect(await core.request('session.signIn', { userId: lea?.userId ?? '' })).toMatchObject({ ok: true });
    expect(await core.request('calls.answerNext', {})).toMatchObject({ ok: true, value: { state: 'active' } });
    expect((await log(core))[0]).toMatchObject({
      state: 'active',
      operator: 'Léa Martin',
      position: expect.any(String),
    });
    expect((await log(core))[0]?.operator).not.toBe('POSTE-2');
  });

  it('with calls.answerRequiresSignIn false: answered by the position, which the log then names', async () => {
    const { core, sink } = await start({ calls: { answerRequiresSignIn: false } });
    ring(sink(), 'b');
    expect(await core.request('calls.answerNext', {})).toMatchObject({ ok: true, value: { state: 'active' } });
    expect((await log(core))[0]?.operator).toBe('POSTE-2');
  });

  it('refuses an unknown key in the calls section of vigie.json, naming it', async () => {
    await expect(start({ calls: { answerRequiresSignin: false } })).rejects.toThrow(/calls/);
  });
});
