/**
 * One position as a separate process, for the replication tests: a whole core (createCore, every module
 * of the list, the replication service) on `argv[2]`, driven by JSON lines on stdin, answering JSON lines
 * on stdout. Not used by production code.
 *
 *   {"id":1,"cmd":"write","n":100,"everyMs":5,"tag":"A"}  → {"id":1,"ok":true,"ids":[…]}
 *   {"id":2,"cmd":"status"}                               → {"id":2,"ok":true,"value":ReplicationInfo}
 *   {"id":3,"cmd":"digest"}                               → {"id":3,"ok":true,"value":{events,projections,verify}}
 *   {"id":4,"cmd":"waitApplied","n":10000}                → {"id":4,"ok":true,"value":ReplicationInfo} once
 *                                                            `applied` ≥ n (answered out of turn)
 *   {"id":5,"cmd":"exit"}
 */
import { createInterface } from 'node:readline';
import type { ReplicationInfo } from '../contract/replication.js';
import { createCore } from '../core/index.js';
import { eventDigest, projectionDigest } from './digest.js';

const dataDir = process.argv[2] ?? '';
const core = await createCore({ dataDir, log: (level, message) => process.stderr.write(`[${level}] ${message}\n`) });
await core.started;

const reply = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

const line = { number: '18', label: 'Pompiers', priority: 1, configured: true };
const caller = { number: '0687000000', name: null };

/** Logbook entries, and every 10th a call that rings at every position (same SIP Call-ID) and is answered here or abandoned. */
const write = async (n: number, everyMs: number, tag: string): Promise<string[]> => {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const e = core.store.append('logbook.entry', { text: `${tag} ${i}`, category: 'information' }, tag);
    ids.push(e.id);
    if (i % 10 === 0) {
      const callId = `${tag}-${i}`;
      const at = Date.now();
      core.store.append('call.offered', { callId, direction: 'in', sipCallId: `sip-${i}`, line, caller, at }, tag);
      if ((i / 10) % 2 === 0) core.store.append('call.answered', { callId, at: at + 1 }, tag);
      core.store.append(
        'call.ended',
        { callId, at: at + 2, cause: (i / 10) % 2 === 0 ? 'caller_hangup' : 'abandoned' },
        tag,
      );
    }
    if (everyMs > 0) await new Promise((r) => setTimeout(r, everyMs));
  }
  return ids;
};

interface Command {
  id: number;
  cmd: string;
  n?: number;
  everyMs?: number;
  tag?: string;
}

const replicationInfo = async (): Promise<ReplicationInfo> => {
  const r = await core.request('replication.status', {});
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  // The core answers 'replication.status' with a ReplicationInfo (contract/replication.ts).
  return r.value as ReplicationInfo;
};

/**
 * Answers once `applied` reaches n, looked at after each status push (the replication service pushes one
 * per applied page): the parent measures without asking every few milliseconds, which would cost this
 * process a request and a status each time.
 */
const waitApplied = (id: number, n: number): void => {
  let done = false;
  let checking = false;
  // A push that comes while a look is under way asks for one more look after it, never for none.
  let again = false;
  const check = async (): Promise<void> => {
    if (done) return;
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    try {
      const info = await replicationInfo();
      if (info.applied >= n && !done) {
        done = true;
        off();
        reply({ id, ok: true, value: info });
      }
    } catch (error) {
      done = true;
      off();
      reply({ id, ok: false, error: String(error) });
    } finally {
      checking = false;
    }
    if (again) {
      again = false;
      await check();
    }
  };
  const off = core.onEvent((event) => {
    if (event.type === 'status') void check();
  });
  void check();
};

for await (const text of createInterface({ input: process.stdin })) {
  const command = JSON.parse(text) as Command;
  if (command.cmd === 'waitApplied') {
    waitApplied(command.id, command.n ?? 0);
    continue;
  }
  try {
    if (command.cmd === 'write') {
      reply({ id: command.id, ok: true, ids: await write(command.n ?? 1, command.everyMs ?? 0, command.tag ?? 'X') });
    } else if (command.cmd === 'status') {
      const r = await core.request('replication.status', {});
      reply({ id: command.id, ok: true, value: r.ok ? r.value : r.error, status: core.status().network });
    } else if (command.cmd === 'digest') {
      reply({
        id: command.id,
        ok: true,
        value: {
          events: eventDigest(core.store.db),
          projections: projectionDigest(core.store.db),
          verify: core.store.verify().ok,
        },
      });
    } else if (command.cmd === 'exit') {
      await core.close();
      reply({ id: command.id, ok: true });
      process.exit(0);
    }
  } catch (error) {
    reply({ id: command.id, ok: false, error: String(error) });
  }
}
