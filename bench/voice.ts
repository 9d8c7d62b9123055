/**
 * Suite `voice` (`npm run bench:voice [-- --quick]`): the console's media path on loopback, end to end — a
 * plain-RTP lab caller (G.711, 1000 Hz), Kamailio, rtpengine (RTP/AVP ⇄ DTLS-SRTP + ICE), the console
 * (`vigie serve`, media in the page) in Chromium whose fake microphone plays 600 Hz bursts.
 * 1. INVITE → 200 OK, and INVITE → media ready (200 OK and first RTP packet from the page both at the
 *    caller), p95 over calls after the session's first; goal < 300 ms (docs/architecture.md, performance
 *    targets). The console answers by itself (`--auto-answer 0`): no operator reaction time.
 * 2. Added mouth-to-ear latency of the console path, each way, from tone-burst onsets: caller → page (burst
 *    sent by the caller → onset in the page's received audio) and page → caller (onset in the page's
 *    microphone → onset in the RTP the caller receives); goal < 150 ms (ITU-T G.114).
 * 3. CPU and memory of the page during one call of 10 minutes (30 s with --quick).
 * Chromium offers non-loopback ICE candidates while the machine has another interface: the suite re-runs
 * itself in a network namespace with only lo (`unshare -n`) when it can.
 */
import { spawnSync } from 'node:child_process';
import { loadavg, networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { labCall, type LabCallResult } from '../electron/lab/index.js';
import { percentile, recordResults, type Figures } from './results.js';
import { chromiumProcesses, startVoiceConsole, type VoiceConsole } from './voice-console.js';

const QUICK = process.argv.includes('--quick');
const CALLS = QUICK ? 5 : 20;
const LATENCY_TALK_S = QUICK ? 8 : 20;
const SOAK_S = QUICK ? 30 : 600;
const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

const isolated = (): boolean =>
  Object.entries(networkInterfaces()).every(([, addrs]) => (addrs ?? []).every((a) => a.internal));

const mustSucceed = (r: LabCallResult, what: string): LabCallResult => {
  if (r.exitCode !== 0 || r.successful < 1) throw new Error(`${what} : l'appel a échoué\n${r.output.slice(-2000)}`);
  return r;
};

/** Pairs each onset with the latest cause before it (within `windowMs`): the delays, first second skipped. */
const delays = (causes: number[], effects: number[], windowMs: number): number[] => {
  const start = (causes[0] ?? 0) + 1000;
  const out: number[] = [];
  for (const effect of effects) {
    if (effect < start) continue;
    const cause = causes.filter((c) => c <= effect && effect - c < windowMs).pop();
    if (cause !== undefined) out.push(effect - cause);
  }
  return out;
};

const setupFigures = async (c: VoiceConsole): Promise<Figures> => {
  const inviteTo200: number[] = [];
  const inviteToMedia: number[] = [];
  // Call 0 is the console's first of the session (microphone opened, first peer connection): reported apart.
  let firstCall = Number.NaN;
  for (let i = 0; i <= CALLS; i++) {
    const r = mustSucceed(
      await labCall({ dir: c.lab.dir, to: '1001', talkS: 1, ringS: 10, line: '18' }),
      'établissement',
    );
    const leg = r.media[0];
    if (leg?.inviteAt === undefined || leg.answerAt === undefined || leg.firstReceivedAt === undefined) {
      throw new Error(`appel ${i + 1} : pas de média reçu du poste`);
    }
    const ready = Math.max(leg.answerAt, leg.firstReceivedAt) - leg.inviteAt;
    if (i === 0) {
      firstCall = ready;
      continue;
    }
    inviteTo200.push(leg.answerAt - leg.inviteAt);
    inviteToMedia.push(ready);
  }
  return {
    setup_calls: CALLS,
    invite_to_media_ready_first_call_of_session_ms: round(firstCall),
    invite_to_200_p50_ms: round(percentile(inviteTo200, 50)),
    invite_to_200_p95_ms: round(percentile(inviteTo200, 95)),
    invite_to_media_ready_p50_ms: round(percentile(inviteToMedia, 50)),
    invite_to_media_ready_p95_ms: round(percentile(inviteToMedia, 95)),
    invite_to_media_ready_max_ms: round(Math.max(...inviteToMedia)),
  };
};

const latencyFigures = async (c: VoiceConsole): Promise<Figures> => {
  await c.setTap(true, { remoteHz: 1000, micHz: 600 });
  await c.clearOnsets();
  const r = mustSucceed(
    await labCall({
      dir: c.lab.dir,
      to: '1001',
      talkS: LATENCY_TALK_S,
      ringS: 10,
      audio: { toneHz: 1000, detectHz: 600, bursts: { onMs: 100, offMs: 400 } },
    }),
    'latence',
  );
  await c.setTap(false, { remoteHz: 1000, micHz: 600 });
  const page = await c.onsets();
  const toNode = (t: number): number => t - c.clockOffsetMs;
  const leg = r.media[0];
  if (leg === undefined) throw new Error('latence : pas de mesure côté appelant');
  const callerToPage = delays(leg.burstsSentAt, page.remote.map(toNode), 400);
  const pageToCaller = delays(page.mic.map(toNode), leg.onsetsReceivedAt, 400);
  if (callerToPage.length < 5 || pageToCaller.length < 5) {
    throw new Error(`latence : trop peu d'attaques appariées (${callerToPage.length}, ${pageToCaller.length})`);
  }
  return {
    clock_offset_page_minus_node_ms: round(c.clockOffsetMs, 2),
    clock_offset_uncertainty_ms: round(c.clockRttMs / 2, 2),
    latency_bursts_caller_to_page: callerToPage.length,
    latency_caller_to_page_p50_ms: round(percentile(callerToPage, 50)),
    latency_caller_to_page_p95_ms: round(percentile(callerToPage, 95)),
    latency_bursts_page_to_caller: pageToCaller.length,
    latency_page_to_caller_p50_ms: round(percentile(pageToCaller, 50)),
    latency_page_to_caller_p95_ms: round(percentile(pageToCaller, 95)),
  };
};

const soakFigures = async (c: VoiceConsole): Promise<Figures> => {
  const renderer = async () => {
    const all = await chromiumProcesses(c.cdp);
    const r = all.filter((p) => p.type === 'renderer');
    return {
      at: performance.now(),
      cpu: r.reduce((s, p) => s + p.cpuTime, 0),
      total: all.reduce((s, p) => s + p.cpuTime, 0),
      rss: r.reduce((s, p) => s + p.rssBytes, 0),
    };
  };
  const heap = async (): Promise<number> =>
    c.page.evaluate<number>('performance.memory ? performance.memory.usedJSHeapSize : 0');
  const calling = labCall({ dir: c.lab.dir, to: '1001', talkS: SOAK_S, ringS: 10 });
  // Wait for the call's media before sampling.
  const deadline = Date.now() + 10_000;
  while ((await c.lastCallStats()).packetsReceived < 50 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  const heapStart = await heap();
  const samples = [await renderer()];
  const cpuPercent: number[] = [];
  let stats = await c.lastCallStats();
  for (let t = 5; t < SOAK_S - 5; t += 5) {
    await new Promise((r) => setTimeout(r, 5_000));
    const s = await renderer();
    const prev = samples[samples.length - 1] ?? s;
    cpuPercent.push((100 * (s.cpu - prev.cpu)) / ((s.at - prev.at) / 1000));
    samples.push(s);
    stats = await c.lastCallStats();
  }
  const heapEnd = await heap();
  const r = mustSucceed(await calling, 'appel long');
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined) throw new Error('aucun échantillon');
  const seconds = (last.at - first.at) / 1000;
  const mb = (b: number): number => round(b / 1024 / 1024);
  return {
    soak_call_s: SOAK_S,
    soak_page_cpu_percent_mean: round((100 * (last.cpu - first.cpu)) / seconds),
    soak_page_cpu_percent_max_5s: round(Math.max(...cpuPercent)),
    soak_browser_all_processes_cpu_percent_mean: round((100 * (last.total - first.total)) / seconds),
    soak_page_rss_mb_start: mb(first.rss),
    soak_page_rss_mb_end: mb(last.rss),
    soak_page_rss_mb_max: mb(Math.max(...samples.map((s) => s.rss))),
    soak_page_js_heap_mb_start: mb(heapStart),
    soak_page_js_heap_mb_end: mb(heapEnd),
    soak_page_rtp_received: stats.packetsReceived,
    soak_page_rtp_sent: stats.packetsSent,
    soak_caller_rtp_received: r.rtpReceived,
  };
};

export const runVoice = async (): Promise<void> => {
  const c = await startVoiceConsole();
  try {
    const figures: Figures = {
      path: 'SIPp + RTP G.711 (Node) → Kamailio → rtpengine (DTLS-SRTP, ICE) → console dans Chromium (vigie serve)',
      quick: QUICK,
      network_namespace_lo_only: isolated(),
      load_average_1min_at_start: round(loadavg()[0] ?? 0, 2),
    };
    Object.assign(figures, await setupFigures(c));
    Object.assign(figures, await latencyFigures(c));
    Object.assign(figures, await soakFigures(c));
    figures['load_average_1min_at_end'] = round(loadavg()[0] ?? 0, 2);
    recordResults(QUICK ? 'voice-quick' : 'voice', figures);
  } finally {
    await c.close();
  }
};

/** From bench/run.ts or directly: in a namespace with only lo when the machine has another interface. */
export const run = async (): Promise<void> => {
  if (isolated() || process.env.VIGIE_BENCH_NO_NETNS === '1') return runVoice();
  const self = fileURLToPath(import.meta.url);
  const args = [self, '--direct', ...(QUICK ? ['--quick'] : [])];
  const probe = spawnSync('unshare', ['-n', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    process.stdout.write(`unshare -n indisponible (${probe.stderr.trim()}) : mesure sans espace de noms isolé\n`);
    return runVoice();
  }
  process.stdout.write('espace de noms réseau isolé (unshare -n, seule l’interface lo)\n');
  const child = spawnSync(
    'unshare',
    ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, ...args],
    {
      stdio: 'inherit',
    },
  );
  if (child.status !== 0) throw new Error(`mesure voix : code ${child.status}`);
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await (process.argv.includes('--direct') ? runVoice() : run());
}
