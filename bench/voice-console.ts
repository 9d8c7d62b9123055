/**
 * The voice benchmark's set-up: a lab (Kamailio + rtpengine), the console as a user runs it (`vigie serve
 * --lab … --auto-answer 0`, media in the page) and Debian's Chromium with fake devices whose microphone plays
 * a tone WAV. A tap added before the page's own scripts records every RTCPeerConnection the console opens,
 * and, when enabled, times tone onsets in its microphone and in the caller's audio (Web Audio analysers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { labDown, labUp, type LabInfo } from '../electron/lab/index.js';
import { writeToneWav } from '../electron/lab/wav.js';
import { launchChromiumBrowser } from '../electron/testing/chromium.js';
import { TONE_WATCH_JS } from '../electron/testing/lab/page-media.js';

const wallNow = (): number => performance.timeOrigin + performance.now();

/** Wraps RTCPeerConnection so that the benchmark can read the console's calls; analysers only when enabled. */
const TAP_JS = `(() => {
${TONE_WATCH_JS}
  window.__tap = { enabled: false, pcs: [], state, detectHz };
  const Original = window.RTCPeerConnection;
  class Tapped extends Original {
    constructor(...args) {
      super(...args);
      window.__tap.pcs.push(this);
      this.addEventListener('track', (e) => { if (window.__tap.enabled) watch(e.track, 'remote'); });
      const mic = setInterval(() => {
        if (this.connectionState === 'closed') { clearInterval(mic); return; }
        const track = this.getSenders().map((s) => s.track).find((t) => t && t.kind === 'audio');
        if (track) { clearInterval(mic); if (window.__tap.enabled) watch(track, 'mic'); }
      }, 5);
    }
  }
  window.RTCPeerConnection = Tapped;
})();`;

export interface VoiceConsole {
  lab: LabInfo;
  page: Page;
  browser: Browser;
  cdp: CDPSession;
  /** Page wall clock minus this process's wall clock, ms (measured across one evaluate round trip). */
  clockOffsetMs: number;
  /** The round trip of that measurement: the offset is known to ± half of it. */
  clockRttMs: number;
  setTap(enabled: boolean, tones: { remoteHz: number; micHz: number }): Promise<void>;
  onsets(): Promise<{ remote: number[]; mic: number[] }>;
  clearOnsets(): Promise<void>;
  /** Inbound/outbound packets of the console's last peer connection. */
  lastCallStats(): Promise<{ packetsReceived: number; packetsSent: number; connection: string }>;
  close(): Promise<void>;
}

const repoRoot = (): string => {
  // dist/bench/voice-console.js → the repository root is two levels up from dist/bench.
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${'/'}dist${'/'}`) ? join(here, '..', '..') : join(here, '..');
};

const serveConsole = async (labDir: string, dataDir: string): Promise<{ url: string; child: ChildProcess }> => {
  const cli = join(repoRoot(), 'dist', 'electron', 'cli', 'main.js');
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--lab', labDir, '--user', '1001', '--data', dataDir, '--auto-answer', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    if (process.env.VIGIE_BENCH_DEBUG === '1') process.stderr.write(chunk);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigie serve muet\n${stderr}`)), 30_000);
    lines.on('line', (line) => {
      const match = /^Vigie prête : (\S+)$/.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`vigie serve terminé (code ${code})\n${stderr}`)));
  });
  return { url, child };
};

export const startVoiceConsole = async (): Promise<VoiceConsole> => {
  const root = mkdtempSync(join(tmpdir(), 'vigie-bench-voice-'));
  const lab = await labUp({ dir: join(root, 'lab') });
  // The console's microphone: 600 Hz bursts of 100 ms every 500 ms (looped by Chromium).
  const wav = writeToneWav(join(root, 'position-tone.wav'), {
    hz: 600,
    seconds: 10,
    bursts: { onMs: 100, periodMs: 500 },
  });
  const served = await serveConsole(lab.dir, join(root, 'data'));
  const browser = await launchChromiumBrowser({ media: true, microphoneWav: wav, autoplay: true });
  const context = await browser.newContext();
  await context.addInitScript({ content: TAP_JS });
  const page = await context.newPage();
  await page.goto(served.url);
  const deadline = Date.now() + 20_000;
  while (!((await page.getByTestId('status-telephony').textContent()) ?? '').includes('enregistrée')) {
    if (Date.now() > deadline) throw new Error('le poste ne s’enregistre pas sur le laboratoire');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // Both clocks are wall clocks, but the page's timeOrigin is its own: estimate the offset from the round
  // trip with the smallest delay (the error is at most half of it, reported beside the figure).
  let clockOffsetMs = 0;
  let clockRttMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 20; i++) {
    const before = wallNow();
    const pageNow = await page.evaluate<number>('performance.timeOrigin + performance.now()');
    const after = wallNow();
    if (after - before < clockRttMs) {
      clockRttMs = after - before;
      clockOffsetMs = pageNow - (before + after) / 2;
    }
  }
  const cdp = await browser.newBrowserCDPSession();
  return {
    lab,
    page,
    browser,
    cdp,
    clockOffsetMs,
    clockRttMs,
    async setTap(enabled, tones) {
      await page.evaluate(
        `window.__tap.enabled = ${String(enabled)}; window.__tap.detectHz.remote = ${tones.remoteHz}; window.__tap.detectHz.mic = ${tones.micHz};`,
      );
    },
    onsets: () => page.evaluate<{ remote: number[]; mic: number[] }>('window.__tap.state.onsets'),
    clearOnsets: async () => {
      await page.evaluate('window.__tap.state.onsets = { remote: [], mic: [] }');
    },
    lastCallStats: () =>
      page.evaluate<{ packetsReceived: number; packetsSent: number; connection: string }>(`(async () => {
        const pc = window.__tap.pcs[window.__tap.pcs.length - 1];
        const out = { packetsReceived: 0, packetsSent: 0, connection: pc ? pc.connectionState : '' };
        if (!pc) return out;
        (await pc.getStats()).forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') out.packetsReceived += s.packetsReceived || 0;
          if (s.type === 'outbound-rtp' && s.kind === 'audio') out.packetsSent += s.packetsSent || 0;
        });
        return out;
      })()`),
    async close() {
      await browser.close().catch(() => undefined);
      if (served.child.exitCode === null) {
        const exited = once(served.child, 'exit');
        served.child.kill('SIGTERM');
        const timer = setTimeout(() => served.child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await labDown({ dir: lab.dir }).catch(() => undefined);
      if (process.env.VIGIE_BENCH_DEBUG !== '1') rmSync(root, { recursive: true, force: true });
    },
  };
};

/** CPU seconds and resident memory of Chromium's processes by type (CDP SystemInfo.getProcessInfo, /proc). */
export const chromiumProcesses = async (
  cdp: CDPSession,
): Promise<{ type: string; pid: number; cpuTime: number; rssBytes: number }[]> => {
  const info = await cdp.send('SystemInfo.getProcessInfo');
  return info.processInfo.map((p) => {
    let rssBytes = 0;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
      rssBytes = match?.[1] === undefined ? 0 : Number(match[1]) * 1024;
    } catch {
      // the process ended between the two reads
    }
    return { type: p.type, pid: p.id, cpuTime: p.cpuTime, rssBytes };
  });
};
