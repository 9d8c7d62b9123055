/**
 * `npm run bench:faults [-- --quick]`: how long the health module takes to see each kind of fault and to
 * come back NOMINAL once it is gone, and whether it raises a false alarm under CPU load. A real core (`vigie serve --lab`'s modules, null media) with the production
 * timings of telephony/config.ts and health/config.ts (ping 2 s, pong 1.5 s, handshake 2 s, backoff
 * 0.5→3 s, probes every 5 s), registered on a real Kamailio on 127.0.0.1 through the fault proxy
 * (electron/testing/fault-proxy.ts).
 *
 * - Faults: Kamailio killed (then restarted), hung (SIGSTOP, then SIGCONT), the route blackholed and the
 *   connections reset (then `pass`). Detection: fault injected → `health.degraded` committed. Recovery:
 *   server back (restart finished, SIGCONT sent, proxy in pass) → `health.nominal` committed. Before
 *   each fault the position stays registered for STEADY_MS (see bench/sip.ts: a registration lost right
 *   after it was made is retried with a longer backoff).
 * - Soak: SOAK_MS with the registrar healthy and two busy-loop child processes; every `health.degraded`
 *   committed meanwhile is a false alarm (goal 0).
 *
 * `--quick`: one run of each fault and a one-minute soak, for trying; the figures go to `faults-quick`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../electron/core/index.js';
import { coreModules } from '../electron/core/modules.js';
import { labDown, labKill, labRestart, labSignal, labUp, type LabInfo } from '../electron/lab/index.js';
import { startTcpFaultProxy, type FaultProxy } from '../electron/testing/fault-proxy.js';
import { provision } from '../electron/testing/roster.js';
import { percentile, recordResults, type Figures } from './results.js';

const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 1 : 5;
const SOAK_MS = QUICK ? 60_000 : 600_000;
const STEADY_MS = QUICK ? 3_000 : 11_000;
const BUSY_CHILDREN = 2;
const DETECT_WAIT_MS = 20_000;
const RECOVER_WAIT_MS = 40_000;

type Phase = 'degraded' | 'recovering' | 'nominal';
type FaultKind = 'kill' | 'sigstop' | 'blackhole' | 'reset';

interface Rig {
  lab: LabInfo;
  proxy: FaultProxy;
  core: Core;
  /** Health transitions committed so far, with Date.now() at commit. */
  transitions: { phase: Phase; at: number }[];
}

const PHASE_OF: Record<string, Phase> = {
  'health.degraded': 'degraded',
  'health.recovering': 'recovering',
  'health.nominal': 'nominal',
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The commit time of the first `phase` transition after index `from`, or null after `timeoutMs`. */
const waitPhase = async (rig: Rig, phase: Phase, from: number, timeoutMs: number): Promise<number | null> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const hit = rig.transitions.slice(from).find((t) => t.phase === phase);
    if (hit !== undefined) return hit.at;
    if (Date.now() > end) return null;
    await sleep(20);
  }
};

const setUp = async (root: string): Promise<Rig> => {
  const lab = await labUp({ dir: join(root, 'lab') });
  const target = new URL(lab.wsUrl);
  const proxy = await startTcpFaultProxy({ host: target.hostname, port: Number(target.port) });
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    join(dataDir, 'vigie.json'),
    JSON.stringify({ positionName: 'POSTE-1', health: { minFreeDiskMiB: 1 } }),
  );
  await provision(dataDir, [{ name: 'Marc', role: 'operateur' }]);
  const telephony = {
    account: { aor: 'sip:1001@127.0.0.1' },
    registrars: [`ws://127.0.0.1:${proxy.port}`],
    media: 'null' as const,
  };
  const core = await createCore({ dataDir, log: () => {} }, coreModules({ telephony: { config: telephony } }));
  const transitions: Rig['transitions'] = [];
  core.store.onAppend((event) => {
    const phase = PHASE_OF[event.type];
    if (phase !== undefined) transitions.push({ phase, at: Date.now() });
  });
  await core.started;
  const rig = { lab, proxy, core, transitions };
  const end = Date.now() + 20_000;
  while (core.status().telephony.state !== 'registered') {
    if (Date.now() > end) throw new Error('la position ne s’enregistre pas à travers le proxy');
    await sleep(50);
  }
  return rig;
};

/** Injects the fault; returns how to remove it (resolves once the server is back). */
const inject = async (rig: Rig, kind: FaultKind): Promise<() => Promise<void>> => {
  switch (kind) {
    case 'kill':
      await labKill(rig.lab.dir);
      return async () => {
        await labRestart(rig.lab.dir);
      };
    case 'sigstop':
      labSignal(rig.lab.dir, 'SIGSTOP');
      return () => {
        labSignal(rig.lab.dir, 'SIGCONT');
        return Promise.resolve();
      };
    case 'blackhole':
    case 'reset':
      rig.proxy.setMode(kind);
      return () => {
        rig.proxy.setMode('pass');
        return Promise.resolve();
      };
  }
};

interface RunResult {
  detectMs: number | null;
  recoverMs: number | null;
}

const runOnce = async (rig: Rig, kind: FaultKind): Promise<RunResult> => {
  await sleep(STEADY_MS);
  const from = rig.transitions.length;
  const faultAt = Date.now();
  const remove = await inject(rig, kind);
  const degradedAt = await waitPhase(rig, 'degraded', from, DETECT_WAIT_MS);
  await remove();
  const restoredAt = Date.now();
  const nominalAt = await waitPhase(rig, 'nominal', from, RECOVER_WAIT_MS);
  const result = {
    detectMs: degradedAt === null ? null : degradedAt - faultAt,
    recoverMs: nominalAt === null ? null : nominalAt - restoredAt,
  };
  process.stdout.write(
    `${kind} : détection ${result.detectMs ?? 'manquée'} ms, retour ${result.recoverMs ?? 'manqué'} ms\n`,
  );
  if (nominalAt === null) throw new Error(`${kind} : pas de retour à NOMINAL en ${RECOVER_WAIT_MS} ms`);
  return result;
};

const summarize = (kind: FaultKind, runs: readonly RunResult[]): Figures => {
  const detect = runs.flatMap((r) => (r.detectMs === null ? [] : [r.detectMs]));
  const recover = runs.flatMap((r) => (r.recoverMs === null ? [] : [r.recoverMs]));
  return {
    [`${kind}Runs`]: runs.length,
    [`${kind}DetectMissed`]: runs.length - detect.length,
    [`${kind}DetectMedianMs`]: percentile(detect, 50),
    [`${kind}DetectMaxMs`]: detect.length === 0 ? null : Math.max(...detect),
    [`${kind}RecoverMedianMs`]: percentile(recover, 50),
    [`${kind}RecoverMaxMs`]: recover.length === 0 ? null : Math.max(...recover),
  };
};

const busyLoops = (): ChildProcess[] =>
  Array.from({ length: BUSY_CHILDREN }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));

const soak = async (rig: Rig): Promise<Figures> => {
  const from = rig.transitions.length;
  const children = busyLoops();
  const stateAtStart = rig.core.status().telephony.state;
  try {
    await sleep(SOAK_MS);
  } finally {
    for (const child of children) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }
  const during = rig.transitions.slice(from);
  return {
    soakMs: SOAK_MS,
    soakBusyChildren: BUSY_CHILDREN,
    soakStateAtStart: stateAtStart,
    soakStateAtEnd: rig.core.status().telephony.state,
    soakFalseDegraded: during.filter((t) => t.phase === 'degraded').length,
    soakTransitions: during.length,
  };
};

export const run = async (): Promise<void> => {
  const suite = QUICK ? 'faults-quick' : 'faults';
  const root = mkdtempSync(join(tmpdir(), 'vigie-bench-faults-'));
  let rig: Rig | null = null;
  try {
    rig = await setUp(root);
    let figures: Figures = { runsPerFault: RUNS, steadyMs: STEADY_MS };
    for (const kind of ['kill', 'sigstop', 'blackhole', 'reset'] as const) {
      const runs: RunResult[] = [];
      for (let i = 0; i < RUNS; i += 1) runs.push(await runOnce(rig, kind));
      figures = { ...figures, ...summarize(kind, runs) };
      recordResults(suite, figures); // kept even if a later part fails
    }
    process.stdout.write(`endurance : ${SOAK_MS / 1000} s avec ${BUSY_CHILDREN} processus en boucle\n`);
    figures = { ...figures, ...(await soak(rig)) };
    recordResults(suite, figures);
  } finally {
    if (rig !== null) {
      await rig.core.close();
      await rig.proxy.close();
      try {
        labSignal(rig.lab.dir, 'SIGCONT'); // never leave a stopped Kamailio behind
      } catch {
        // not running
      }
      await labDown({ dir: rig.lab.dir }).catch(() => undefined);
    }
    // The data directory is inside root, and so are the keys kept beside it (testing/data-dir.ts).
    rmSync(root, { recursive: true, force: true });
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
