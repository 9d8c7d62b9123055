/**
 * Suite `calls`: the call manager on a real SipPhone (null media) registered on a real Kamailio, with SIPp
 * callers on 127.0.0.1.
 * 1. answer-next → 200 OK sent: time from the key (manager.answerNext()) until the 200 OK leaves sip.js
 *    (SIP trace), target p95 < 50 ms (DESIGN.md); and until the command returns with `call.answered`
 *    appended durably (synchronous=FULL).
 * 2. signalling load: SIPp at 20 calls/s for 60 s, each call auto-answered and hung up by the caller after
 *    2 s: the number of call records must equal SIPp's successful calls, 0 lost (DESIGN.md).
 * Sizes can be lowered for a quick run: VIGIE_BENCH_CALLS_ANSWERS, VIGIE_BENCH_CALLS_RATE, VIGIE_BENCH_CALLS_SECONDS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CallsEvent } from '../electron/contract/calls.js';
import { createCallManager, type CallManager } from '../electron/core/calls/manager.js';
import { moduleSchemas } from '../electron/core/modules.js';
import { labCall, labDown, labUp } from '../electron/lab/index.js';
import { createSipPhone, nullMediaFactory, type SipPhone } from '../electron/core/sip/index.js';
import { openStore, type Store } from '../electron/core/store/index.js';
import { percentile, recordResults } from './results.js';

const ANSWERS = Number(process.env.VIGIE_BENCH_CALLS_ANSWERS ?? 60);
const RATE = Number(process.env.VIGIE_BENCH_CALLS_RATE ?? 20);
const SECONDS = Number(process.env.VIGIE_BENCH_CALLS_SECONDS ?? 60);

interface Position {
  phone: SipPhone;
  /** performance.now() of the last 200 OK to an INVITE this position sent (from the SIP trace). */
  last200: () => number;
  store: Store;
  manager: CallManager;
  close(): Promise<void>;
}

const registered = (phone: SipPhone): Promise<void> =>
  new Promise((resolve, reject) => {
    if (phone.state().state === 'registered') return resolve();
    const timer = setTimeout(() => reject(new Error(`pas enregistré : ${JSON.stringify(phone.state())}`)), 10_000);
    const off = phone.onState((s) => {
      if (s.state !== 'registered') return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });

const position = async (
  dataDir: string,
  wsUrl: string,
  user: string,
  autoAnswerSeconds?: number,
): Promise<Position> => {
  const store = openStore({ dataDir, modules: moduleSchemas(), backup: false });
  let last200 = 0;
  const phone = createSipPhone(
    {
      account: { aor: `sip:${user}@127.0.0.1` },
      registrars: [wsUrl],
      lines: [{ number: '18', label: 'Pompiers 18', priority: 100 }],
    },
    {
      sessionDescriptionHandlerFactory: nullMediaFactory,
      // The moment the 200 OK leaves sip.js for the WebSocket (RFC 3261 §13.3.1.4 response to the INVITE).
      trace: (direction, message) => {
        if (direction === '→' && message.startsWith('SIP/2.0 200') && /^CSeq:\s*\d+\s+INVITE\s*$/im.test(message))
          last200 = performance.now();
      },
    },
  );
  await registered(phone);
  const manager = createCallManager({
    phone,
    store,
    lines: { lines: phone.config.lines, calledNumberFrom: phone.config.calledNumberFrom },
    operator: () => 'banc de mesure',
    log: (level, message) => {
      if (level !== 'info') process.stderr.write(`[${level}] ${message}\n`);
    },
    ...(autoAnswerSeconds === undefined ? {} : { autoAnswerSeconds }),
  });
  return {
    phone,
    last200: () => last200,
    store,
    manager,
    async close() {
      await manager.close();
      await phone.stop();
      store.close();
    },
  };
};

/** Resolves at the next event matching `predicate`. */
const nextEvent = (
  manager: CallManager,
  predicate: (e: CallsEvent) => boolean,
  timeoutMs: number,
): Promise<CallsEvent> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`événement d'appel attendu non reçu en ${timeoutMs} ms`));
    }, timeoutMs);
    const off = manager.onEvent((e) => {
      if (!predicate(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });

const answerNextLatency = async (
  labDir: string,
  wsUrl: string,
  dataDir: string,
): Promise<{ to200: number[]; durable: number[] }> => {
  const p = await position(dataDir, wsUrl, '1201');
  try {
    // Callers ring up to 60 s and talk 0.2 s once answered: each answer happens with no other call
    // in conversation (answering while talking would put that call on hold first, which SIPp's caller
    // scenario does not accept).
    const callers = labCall({ dir: labDir, to: '1201', line: '18', count: ANSWERS, rate: 10, ringS: 60, talkS: 0.2 });
    const to200: number[] = [];
    const durable: number[] = [];
    for (let i = 0; i < ANSWERS; i++) {
      if (p.manager.queue().ringing.length === 0) {
        await nextEvent(p.manager, (e) => e.type === 'calls.queue' && e.queue.ringing.length > 0, 30_000);
      }
      const t0 = performance.now();
      const call = await p.manager.answerNext();
      durable.push(performance.now() - t0);
      if (p.last200() < t0) throw new Error("le 200 OK n'apparaît pas dans la trace SIP avant la fin de la commande");
      to200.push(p.last200() - t0);
      await p.manager.whenEnded(call.id);
    }
    const result = await callers;
    if (result.successful !== ANSWERS)
      throw new Error(`SIPp : ${result.successful}/${ANSWERS} appels réussis\n${result.output.slice(-2000)}`);
    return { to200, durable };
  } finally {
    await p.close();
  }
};

const load = async (
  labDir: string,
  wsUrl: string,
  dataDir: string,
): Promise<{
  placed: number;
  sippOk: number;
  sippFailed: number;
  records: number;
  answered: number;
  lost: number;
  seconds: number;
}> => {
  const p = await position(dataDir, wsUrl, '1202', 0);
  try {
    const placed = RATE * SECONDS;
    const t0 = performance.now();
    const result = await labCall({
      dir: labDir,
      to: '1202',
      line: '18',
      count: placed,
      rate: RATE,
      ringS: 30,
      talkS: 2,
    });
    // SIPp has seen every BYE answered; our side may still be writing the last call.ended events.
    const deadline = Date.now() + 10_000;
    while (p.manager.queue().mine.length + p.manager.queue().ringing.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t0) / 1000;
    const row = p.store.db
      .prepare(
        `SELECT count(*) AS records, sum(answered_at IS NOT NULL) AS answered,
                sum(state = 'ended' AND cause = 'caller_hangup') AS completed
         FROM calls WHERE direction = 'in'`,
      )
      .get() as { records: number; answered: number; completed: number };
    return {
      placed,
      sippOk: result.successful,
      sippFailed: result.failed,
      records: row.records,
      answered: row.answered,
      lost: Math.max(0, result.successful - row.completed),
      seconds,
    };
  } finally {
    await p.close();
  }
};

export const run = async (): Promise<void> => {
  const root = mkdtempSync(join(tmpdir(), 'vigie-bench-calls-'));
  const lab = await labUp({ dir: join(root, 'lab') });
  try {
    const { to200, durable } = await answerNextLatency(lab.dir, lab.wsUrl, join(root, 'answer'));
    const l = await load(lab.dir, lab.wsUrl, join(root, 'load'));
    recordResults('calls', {
      answer_next_samples: to200.length,
      answer_next_to_200_p50_ms: Number(percentile(to200, 50).toFixed(2)),
      answer_next_to_200_p95_ms: Number(percentile(to200, 95).toFixed(2)),
      answer_next_to_200_max_ms: Number(Math.max(...to200).toFixed(2)),
      answer_next_durable_p50_ms: Number(percentile(durable, 50).toFixed(2)),
      answer_next_durable_p95_ms: Number(percentile(durable, 95).toFixed(2)),
      load_rate_cps: RATE,
      load_duration_s: SECONDS,
      load_calls_placed: l.placed,
      load_sipp_successful: l.sippOk,
      load_sipp_failed: l.sippFailed,
      load_call_records: l.records,
      load_answered: l.answered,
      load_lost_records: l.lost,
      load_records_equal_sipp_successful: l.records === l.sippOk,
      load_wall_s: Number(l.seconds.toFixed(1)),
    });
  } finally {
    await labDown({ dir: lab.dir });
    rmSync(root, { recursive: true, force: true });
  }
};
