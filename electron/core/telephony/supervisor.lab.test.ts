/**
 * The SIP stack cannot take the core down: a hostile call (answered, BYE without ACK) and the SIP child
 * killed (SIGKILL) or hung (SIGSTOP) in the middle of a call, against a real Kamailio, with the whole core
 * (createCore) in this process. Waits for named events and states, never for fixed sleeps, except the
 * 32 s the RFC 3261 ACK timer itself takes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Inviter, UserAgent } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../contract/index.js';
import { createCore, type Core } from '../index.js';
import { coreModules } from '../modules.js';
import { labCall, labDown, labUp, type LabInfo } from '../../lab/index.js';
import { byeWithoutAck } from '../../testing/calls/bye-without-ack.js';
import { startLabPosition } from '../../testing/calls/position.js';
import { startTestUa, type TestUa } from '../../testing/calls/ua.js';
import { sipChildEntry } from '../../testing/sip/child-entry.js';
import { labTelephonyConfig } from './config.js';
import type { Telephony } from './service.js';

let root: string;
let lab: LabInfo;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vigie-sip-child-'));
  lab = await labUp({ dir: join(root, 'lab') });
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  if (lab !== undefined) await labDown({ dir: lab.dir });
  rmSync(root, { recursive: true, force: true });
}, 60_000);

const until = async (check: () => boolean, what: string, timeoutMs: number): Promise<number> => {
  const t0 = performance.now();
  while (!check()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`${what} : pas atteint en ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now();
};

interface CorePosition {
  core: Core;
  telephony: Telephony;
  events: CoreEvent[];
  caller: TestUa;
}

const startCore = async (name: string, user: string): Promise<CorePosition> => {
  let telephony: Telephony | undefined;
  const entry = await sipChildEntry();
  // About the SIP process, not who answers (calls/who-answers.test.ts): no roster, anyone answers.
  mkdirSync(join(root, name), { recursive: true });
  writeFileSync(join(root, name, 'vigie.json'), JSON.stringify({ calls: { answerRequiresSignIn: false } }));
  const core = await createCore(
    { dataDir: join(root, name), log: (level, message) => level !== 'info' && console.log(name, level, message) },
    coreModules({
      telephony: {
        config: { ...labTelephonyConfig(lab, user), media: 'null' },
        entry,
        onSetup: (t) => (telephony = t),
      },
    }),
  );
  await core.started;
  cleanups.push(() => core.close());
  if (telephony === undefined) throw new Error('téléphonie non créée');
  const events: CoreEvent[] = [];
  core.onEvent((e) => events.push(e));
  await until(() => core.status().telephony.state === 'registered', 'enregistré', 10_000);
  const caller = await startTestUa({ wsUrl: lab.wsUrl, user: `2${user}` });
  cleanups.push(() => caller.stop());
  return { core, telephony, events, caller };
};

/** A call from the test UA, answered by the operator with answer-next; resolves with our call id. */
const answeredCall = async (p: CorePosition, user: string): Promise<string> => {
  const uri = UserAgent.makeURI(`sip:${user}@127.0.0.1`);
  if (uri === undefined) throw new Error('URI');
  await new Inviter(p.caller.userAgent, uri).invite();
  await until(() => p.core.store.count() > 0 && ringingCount(p) > 0, 'sonnerie', 10_000);
  const answered = await p.core.request('calls.answerNext', {});
  if (!answered.ok) throw new Error(answered.error.message);
  const value: unknown = answered.value;
  if (typeof value !== 'object' || value === null || !('id' in value) || typeof value.id !== 'string')
    throw new Error('réponse de calls.answerNext inattendue');
  return value.id;
};
const ringingCount = (p: CorePosition): number => {
  const last = [...p.events].reverse().find((e) => e.type === 'calls.queue');
  return last?.type === 'calls.queue' ? last.queue.ringing.length : 0;
};

const typesInLog = (core: Core, prefix: string): { type: string; payload: Record<string, unknown> }[] =>
  (
    core.store.db.prepare(`SELECT type, payload FROM events WHERE type LIKE ? ORDER BY seq`).all(`${prefix}%`) as {
      type: string;
      payload: string;
    }[]
  ).map((r) => ({ type: r.type, payload: JSON.parse(r.payload) as Record<string, unknown> }));

/** The status request answers at once while the SIP child is dead or stopped: it runs in this process. */
const statusAnswersAtOnce = async (core: Core): Promise<void> => {
  const t0 = performance.now();
  const status = await core.request('status.get', {});
  expect(status.ok).toBe(true);
  expect(performance.now() - t0).toBeLessThan(100);
};

const crashAndRecover = async (p: CorePosition, user: string, fault: 'SIGKILL' | 'SIGSTOP'): Promise<void> => {
  const callId = await answeredCall(p, user);
  const pid = p.telephony.pid();
  if (pid === undefined) throw new Error('pas de processus SIP');
  const restartsBefore = typesInLog(p.core, 'telephony.restarted').length;
  process.kill(pid, fault);
  try {
    await statusAnswersAtOnce(p.core);
    // SIGSTOP: the heartbeat finds it hung (no pong for 1.5 s) and kills it; SIGKILL: seen at once.
    await until(() => p.telephony.pid() !== pid && p.telephony.pid() !== undefined, 'nouveau processus SIP', 10_000);
    const restartedAt = performance.now();
    await statusAnswersAtOnce(p.core);
    const registeredAt = await until(() => p.core.status().telephony.state === 'registered', 'ré-enregistré', 5_000);
    expect(registeredAt - restartedAt).toBeLessThan(2_000);
  } finally {
    if (fault === 'SIGSTOP') {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already killed by the supervisor, as expected
      }
    }
  }
  const call = typesInLog(p.core, 'call.ended').find((e) => e.payload['callId'] === callId);
  expect(call?.payload).toMatchObject({ cause: 'failed', detail: 'processus SIP arrêté pendant l’appel' });
  const crashed = typesInLog(p.core, 'telephony.crashed');
  expect(crashed.at(-1)?.payload['reason']).toMatch(fault === 'SIGKILL' ? /SIGKILL/ : /bloqué/);
  expect(typesInLog(p.core, 'telephony.restarted').length).toBe(restartsBefore + 1);
  expect(p.events.some((e) => e.type === 'call.state' && e.call.id === callId && e.call.state === 'ended')).toBe(true);
  // And the new child takes calls.
  const next = await answeredCall(p, user);
  expect(next).not.toBe(callId);
  const hung = await p.core.request('calls.hangup', { callId: next });
  expect(hung.ok).toBe(true);
};

describe('the SIP child process cannot take the core down', () => {
  it('an answered call ended by BYE without ACK: past Timer H (32 s) the same child answers the next call', async () => {
    const p = await startLabPosition({
      dataDir: join(root, 'no-ack'),
      wsUrl: lab.wsUrl,
      user: '1301',
      autoAnswerSeconds: 0,
    });
    cleanups.push(() => p.close());
    const pid = p.telephony.pid();
    const hostile = await byeWithoutAck(lab.dir, '1301');
    expect(hostile.successful, hostile.output).toBe(1);
    await p.waitFor((e) => e.type === 'call.state' && e.call.state === 'ended', 'fin de l’appel sans ACK');
    // RFC 3261 §13.3.1.4: the 2xx is retransmitted for 64*T1 = 32 s waiting for the ACK; then the timer fires.
    await new Promise((r) => setTimeout(r, 34_000));
    const normal = await labCall({ dir: lab.dir, to: '1301', ringS: 10, talkS: 0.5 });
    expect(normal.successful, normal.output).toBe(1);
    expect(p.telephony.pid()).toBe(pid);
    const rows = p.store.db.prepare(`SELECT cause FROM calls ORDER BY offered_at`).all() as { cause: string }[];
    expect(rows.map((r) => r.cause)).toEqual(['caller_hangup', 'caller_hangup']);
    expect(p.store.db.prepare(`SELECT count(*) AS n FROM events WHERE type = 'telephony.crashed'`).get()).toEqual({
      n: 0,
    });
  }, 90_000);

  it('SIGKILL mid-call: the core answers at once, the call is logged failed, re-registered within 2 s of the restart', async () => {
    const p = await startCore('kill', '1302');
    await crashAndRecover(p, '1302', 'SIGKILL');
  }, 60_000);

  it('SIGSTOP mid-call: found hung by the heartbeat, killed, restarted and re-registered within 2 s', async () => {
    const p = await startCore('stop', '1303');
    await crashAndRecover(p, '1303', 'SIGSTOP');
  }, 60_000);
});
