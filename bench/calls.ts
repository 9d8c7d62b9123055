/**
 * Suite `calls`: a whole position (store, call desk, telephony with its SIP child process, null media)
 * registered on a real Kamailio, with SIPp callers on 127.0.0.1.
 * 1. answer-next → 200 OK sent, ACROSS the process boundary: from the key (desk.answerNext() in the core)
 *    until the child reports the 200 OK left sip.js (both clocks are performance.timeOrigin + now(), the
 *    same wall clock); and until the command returns with `call.answered` durable (synchronous=FULL).
 *    Target p95 < 5 ms (docs/architecture.md, performance targets).
 * 2. signalling load: SIPp at each rate of VIGIE_BENCH_CALLS_RATES for VIGIE_BENCH_CALLS_SECONDS, each call
 *    auto-answered and hung up by the caller after 2 s. Records must equal SIPp's successful calls (0 lost);
 *    above the ceiling the child answers 503 (telephony.overload events) and must stay registered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { labCall, labDown, labUp } from '../electron/lab/index.js';
import { startLabPosition, type LabPosition } from '../electron/testing/calls/position.js';
import { percentile, recordResults, type Figures } from './results.js';

const ANSWERS = Number(process.env.VIGIE_BENCH_CALLS_ANSWERS ?? 60);
const RATES = (process.env.VIGIE_BENCH_CALLS_RATES ?? '120,160,200').split(',').map(Number);
const SECONDS = Number(process.env.VIGIE_BENCH_CALLS_SECONDS ?? 60);
const LINES = { lines: [{ number: '18', label: 'Pompiers 18', priority: 100 }] };
const wallNow = (): number => performance.timeOrigin + performance.now();
const quiet = (level: string, message: string): void => {
  if (level === 'error') process.stderr.write(`[${level}] ${message}\n`);
};

const answerNextLatency = async (
  labDir: string,
  wsUrl: string,
  dataDir: string,
): Promise<{ to200: number[]; durable: number[] }> => {
  let sent = 0;
  const p = await startLabPosition({
    dataDir,
    wsUrl,
    user: '1201',
    lines: LINES,
    log: quiet,
    onAcceptSent: (_sid, at) => (sent = at),
  });
  try {
    // Callers ring up to 60 s and talk 0.2 s once answered: each answer happens with no other call in
    // conversation (answering while talking would hold that call first, which the lab caller does not accept).
    const callers = labCall({ dir: labDir, to: '1201', line: '18', count: ANSWERS, rate: 10, ringS: 60, talkS: 0.2 });
    const to200: number[] = [];
    const durable: number[] = [];
    for (let i = 0; i < ANSWERS; i++) {
      if (p.desk.queue().ringing.length === 0) {
        const seen = p.events.length;
        await p.waitFor(
          (e) => p.events.indexOf(e) >= seen && e.type === 'calls.queue' && e.queue.ringing.length > 0,
          'sonnerie',
          30_000,
        );
      }
      const t0 = wallNow();
      const call = await p.desk.answerNext();
      durable.push(wallNow() - t0);
      if (sent < t0) throw new Error("le processus SIP n'a pas signalé l'envoi du 200 OK");
      to200.push(sent - t0);
      await p.desk.whenEnded(call.id);
    }
    const result = await callers;
    if (result.successful !== ANSWERS)
      throw new Error(`SIPp : ${result.successful}/${ANSWERS} appels réussis\n${result.output.slice(-2000)}`);
    return { to200, durable };
  } finally {
    await p.close();
  }
};

const sumOverload = (p: LabPosition): number =>
  (p.store.db.prepare(`SELECT payload FROM events WHERE type = 'telephony.overload'`).all() as { payload: string }[])
    .map((r) => (JSON.parse(r.payload) as { count: number }).count)
    .reduce((a, b) => a + b, 0);

const load = async (labDir: string, wsUrl: string, dataDir: string, rate: number, user: string): Promise<Figures> => {
  // Events are not kept: at 120 calls/s each queue snapshot lists ~250 live calls.
  const p = await startLabPosition({
    dataDir,
    wsUrl,
    user,
    lines: LINES,
    autoAnswerSeconds: 0,
    keepEvents: false,
    log: quiet,
  });
  try {
    const placed = Math.round(rate * SECONDS);
    const t0 = performance.now();
    const result = await labCall({ dir: labDir, to: user, line: '18', count: placed, rate, ringS: 30, talkS: 2 });
    // SIPp has seen every BYE answered; our side may still be writing the last call.ended events.
    const deadline = Date.now() + 10_000;
    while (p.desk.queue().mine.length + p.desk.queue().ringing.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t0) / 1000;
    const row = p.store.db
      .prepare(
        `SELECT count(*) AS records, sum(answered_at IS NOT NULL) AS answered,
                sum(state = 'ended' AND cause = 'caller_hangup') AS completed
         FROM calls WHERE direction = 'in'`,
      )
      .get() as { records: number; answered: number | null; completed: number | null };
    const lostEvents = (
      p.store.db
        .prepare(`SELECT count(*) AS n FROM events WHERE type IN ('telephony.lost', 'telephony.crashed')`)
        .get() as { n: number }
    ).n;
    const figures: Figures = {
      [`load_${rate}_placed`]: placed,
      [`load_${rate}_sipp_successful`]: result.successful,
      [`load_${rate}_sipp_failed`]: result.failed,
      [`load_${rate}_call_records`]: row.records,
      [`load_${rate}_answered`]: row.answered ?? 0,
      // A lost record: a call SIPp completed that left no record here.
      [`load_${rate}_lost_records`]: Math.max(0, result.successful - row.records),
      [`load_${rate}_completed_caller_hangup`]: row.completed ?? 0,
      [`load_${rate}_refused_503`]: sumOverload(p),
      [`load_${rate}_registration_lost_or_crashed_events`]: lostEvents,
      [`load_${rate}_still_registered`]: p.telephony.state().state === 'registered',
      [`load_${rate}_wall_s`]: Number(seconds.toFixed(1)),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return figures;
  } finally {
    await p.close();
  }
};

export const run = async (): Promise<void> => {
  const root = mkdtempSync(join(tmpdir(), 'vigie-bench-calls-'));
  const lab = await labUp({ dir: join(root, 'lab') });
  try {
    const { to200, durable } = await answerNextLatency(lab.dir, lab.wsUrl, join(root, 'answer'));
    const figures: Figures = {
      process_boundary: 'cœur ↔ processus SIP enfant (child_process.fork, messages JSON)',
      // Other work on the machine skews every figure here: the load average says how much there was.
      load_average_1min_at_start: Number((loadavg()[0] ?? 0).toFixed(2)),
      answer_next_samples: to200.length,
      answer_next_to_200_p50_ms: Number(percentile(to200, 50).toFixed(2)),
      answer_next_to_200_p95_ms: Number(percentile(to200, 95).toFixed(2)),
      answer_next_to_200_max_ms: Number(Math.max(...to200).toFixed(2)),
      answer_next_durable_p50_ms: Number(percentile(durable, 50).toFixed(2)),
      answer_next_durable_p95_ms: Number(percentile(durable, 95).toFixed(2)),
      load_duration_s: SECONDS,
      load_rates_cps: RATES.join(','),
    };
    let held = 0;
    for (const [i, rate] of RATES.entries()) {
      const f = await load(lab.dir, lab.wsUrl, join(root, `load-${rate}`), rate, String(1210 + i));
      Object.assign(figures, f);
      if (f[`load_${rate}_lost_records`] === 0 && f[`load_${rate}_sipp_failed`] === 0) held = Math.max(held, rate);
    }
    figures['load_highest_rate_held_cps'] = held;
    figures['load_average_1min_at_end'] = Number((loadavg()[0] ?? 0).toFixed(2));
    recordResults('calls', figures);
  } finally {
    await labDown({ dir: lab.dir });
    rmSync(root, { recursive: true, force: true });
  }
};
