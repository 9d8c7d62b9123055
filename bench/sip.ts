/**
 * Suite `sip`: how fast a position notices that its SIP server is gone and how fast it is registered again,
 * with the production defaults of electron/core/telephony/config.ts (ping 2 s, pong timeout 1.5 s, handshake
 * timeout 2 s, backoff 0.5→3 s, primary probe every 5 s). Real Kamailio processes on 127.0.0.1.
 * Targets (docs/architecture.md, "Targets"): lost detected < 5 s; re-registered < 5 s after the server returns; on the secondary
 * < 10 s when the primary is down; back on the primary after it recovers. Last, the SIP child process
 * itself killed (SIGKILL) or hung (SIGSTOP): time until its replacement is registered (target < 2 s after
 * the restart, docs/architecture.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { labDown, labKill, labRestart, labSignal, labStop, labUp, type LabInfo } from '../electron/lab/index.js';
import {
  createSipPhone,
  nullMediaFactory,
  type RegistrationState,
  type SipPhone,
} from '../electron/core/telephony/sip/index.js';
import { startLabPosition } from '../electron/testing/calls/position.js';
import { percentile, recordResults } from './results.js';

const ROUNDS = Number(process.env.VIGIE_BENCH_SIP_ROUNDS ?? 5);
/** How long each outage lasts before the server comes back (lets the backoff grow as in a real outage). */
const OUTAGE_MS = 6_000;
/**
 * How long the position stays registered before each fault: longer than the phone's 10 s "stable" threshold,
 * as for a position that has been up for a while (a registration lost right after it was made is retried
 * with backoff and skipped in favour of the next registrar, which would flatter the failover figure).
 */
const STEADY_MS = 11_000;

interface Watched {
  phone: SipPhone;
  /** Resolves at the first state (from now on) that matches, with its performance.now() time. */
  next: (predicate: (s: RegistrationState) => boolean, timeoutMs: number) => Promise<number>;
}

const watch = (registrars: string[]): Watched => {
  const phone = createSipPhone(
    { account: { aor: 'sip:1001@127.0.0.1' }, registrars },
    { sessionDescriptionHandlerFactory: nullMediaFactory },
  );
  const next = (predicate: (s: RegistrationState) => boolean, timeoutMs: number): Promise<number> =>
    new Promise((resolve, reject) => {
      if (predicate(phone.state())) {
        resolve(performance.now());
        return;
      }
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`état attendu non atteint en ${timeoutMs} ms : ${JSON.stringify(phone.state())}`));
      }, timeoutMs);
      const stop = phone.onState((s) => {
        if (!predicate(s)) return;
        clearTimeout(timer);
        stop();
        resolve(performance.now());
      });
    });
  return { phone, next };
};

const on = (url: string) => (s: RegistrationState) => s.state === 'registered' && s.registrar === url;
const lost = (s: RegistrationState) => s.state === 'lost';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round1 = (values: number[]) => values.map((v) => Math.round(v));

const summary = (name: string, values: number[]): Record<string, number> => ({
  [`${name}_p50_ms`]: Math.round(percentile(values, 50)),
  [`${name}_max_ms`]: Math.round(Math.max(...values)),
});

export const run = async (): Promise<void> => {
  const root = mkdtempSync(join(tmpdir(), 'vigie-bench-sip-'));
  const labs: LabInfo[] = [];
  const phones: SipPhone[] = [];
  const killDetect: number[] = [];
  const killRereg: number[] = [];
  const stopDetect: number[] = [];
  const stopRereg: number[] = [];
  const failoverStopped: number[] = [];
  const failoverHung: number[] = [];
  const backToPrimary: number[] = [];
  try {
    const a = await labUp({ dir: join(root, 'a') });
    const b = await labUp({ dir: join(root, 'b') });
    labs.push(a, b);

    // 1. Single registrar killed (SIGKILL), back after OUTAGE_MS.
    const single = watch([a.wsUrl]);
    phones.push(single.phone);
    await single.next(on(a.wsUrl), 15_000);
    for (let i = 0; i < ROUNDS; i += 1) {
      await sleep(STEADY_MS);
      const detected = single.next(lost, 30_000);
      const t0 = performance.now();
      await labKill(a.dir);
      killDetect.push((await detected) - t0);
      await sleep(OUTAGE_MS);
      // Measured from the restart command, so the figure includes Kamailio's own start-up: an upper bound.
      const back = performance.now();
      await labRestart(a.dir);
      killRereg.push((await single.next(on(a.wsUrl), 30_000)) - back);
      process.stdout.write(
        `kill ${i + 1}: détecté ${Math.round(killDetect.at(-1) ?? 0)} ms, ré-enregistré ${Math.round(killRereg.at(-1) ?? 0)} ms après la relance\n`,
      );
    }

    // 2. Single registrar hung (SIGSTOP), resumed (SIGCONT) after OUTAGE_MS.
    for (let i = 0; i < ROUNDS; i += 1) {
      await sleep(STEADY_MS);
      const detected = single.next(lost, 30_000);
      const t0 = performance.now();
      labSignal(a.dir, 'SIGSTOP');
      try {
        stopDetect.push((await detected) - t0);
        await sleep(OUTAGE_MS);
      } finally {
        labSignal(a.dir, 'SIGCONT');
      }
      const back = performance.now();
      stopRereg.push((await single.next(on(a.wsUrl), 30_000)) - back);
      process.stdout.write(
        `SIGSTOP ${i + 1}: détecté ${Math.round(stopDetect.at(-1) ?? 0)} ms, ré-enregistré ${Math.round(stopRereg.at(-1) ?? 0)} ms après SIGCONT\n`,
      );
    }
    await single.phone.stop();

    // 3. Primary + secondary: primary stopped (clean) or hung; time to be registered on the secondary,
    //    then time to be back on the primary once it returns.
    const pair = watch([a.wsUrl, b.wsUrl]);
    phones.push(pair.phone);
    await pair.next(on(a.wsUrl), 15_000);
    for (let i = 0; i < ROUNDS; i += 1) {
      const hung = i % 2 === 1;
      await sleep(STEADY_MS);
      const onSecondary = pair.next(on(b.wsUrl), 30_000);
      const t0 = performance.now();
      if (hung) labSignal(a.dir, 'SIGSTOP');
      else await labStop(a.dir);
      (hung ? failoverHung : failoverStopped).push((await onSecondary) - t0);
      const back = performance.now();
      if (hung) labSignal(a.dir, 'SIGCONT');
      else await labRestart(a.dir);
      backToPrimary.push((await pair.next(on(a.wsUrl), 30_000)) - back);
      process.stdout.write(
        `bascule ${i + 1} (${hung ? 'principal bloqué' : 'principal arrêté'}) : secondaire en ${Math.round((hung ? failoverHung : failoverStopped).at(-1) ?? 0)} ms, retour principal ${Math.round(backToPrimary.at(-1) ?? 0)} ms\n`,
      );
    }

    // 4. The SIP child process killed or hung, with the whole position (store, desk, supervisor) around it.
    const childKill: number[] = [];
    const childStop: number[] = [];
    const position = await startLabPosition({
      dataDir: join(root, 'child'),
      wsUrl: a.wsUrl,
      user: '1300',
      log: () => undefined,
    });
    try {
      for (let i = 0; i < ROUNDS * 2; i += 1) {
        const fault = i % 2 === 0 ? 'SIGKILL' : 'SIGSTOP';
        const pid = position.telephony.pid();
        if (pid === undefined) throw new Error('pas de processus SIP');
        const t0 = performance.now();
        process.kill(pid, fault);
        while (position.telephony.pid() === pid || position.telephony.state().state !== 'registered') {
          if (performance.now() - t0 > 15_000) throw new Error(`processus SIP non remplacé après ${fault}`);
          await sleep(2);
        }
        (fault === 'SIGKILL' ? childKill : childStop).push(performance.now() - t0);
        if (fault === 'SIGSTOP') {
          try {
            process.kill(pid, 'SIGCONT');
          } catch {
            // killed by the supervisor, as expected
          }
        }
        process.stdout.write(
          `processus SIP ${fault} ${i + 1}: ré-enregistré ${Math.round(performance.now() - t0)} ms après la panne\n`,
        );
        // A healthy child: the next fault is restarted at once, not as a crash loop.
        await sleep(10_500);
      }
    } finally {
      await position.close();
    }

    recordResults('sip', {
      ...summary('sip_child_sigkill_reregistered_after_fault', childKill),
      ...summary('sip_child_sigstop_reregistered_after_fault', childStop),
      sip_child_hang_detection: 'ping 500 ms, bloqué après 1500 ms sans pong',
      rounds: ROUNDS,
      outage_ms: OUTAGE_MS,
      registered_before_fault_ms: STEADY_MS,
      config: 'défauts : ping 2000 ms, pong 1500 ms, handshake 2000 ms, backoff 500→3000 ms, sonde principal 5000 ms',
      ...summary('kill_detected', killDetect),
      ...summary('kill_reregistered_after_restart_command', killRereg),
      ...summary('sigstop_detected', stopDetect),
      ...summary('sigstop_reregistered_after_sigcont', stopRereg),
      ...summary('failover_primary_stopped', failoverStopped),
      ...summary('failover_primary_hung', failoverHung),
      ...summary('back_to_primary_after_return', backToPrimary),
      samples: JSON.stringify({
        killDetect: round1(killDetect),
        killRereg: round1(killRereg),
        stopDetect: round1(stopDetect),
        stopRereg: round1(stopRereg),
        failoverStopped: round1(failoverStopped),
        failoverHung: round1(failoverHung),
        backToPrimary: round1(backToPrimary),
        childKill: round1(childKill),
        childStop: round1(childStop),
      }),
      target_detected_ms: 5_000,
      target_reregistered_ms: 5_000,
      target_secondary_ms: 10_000,
    });
  } finally {
    for (const phone of phones) await phone.stop();
    for (const lab of labs) {
      try {
        labSignal(lab.dir, 'SIGCONT');
      } catch {
        // not running
      }
      await labDown({ dir: lab.dir }).catch(() => undefined);
    }
    rmSync(root, { recursive: true, force: true });
  }
};
