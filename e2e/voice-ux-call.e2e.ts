/**
 * Voice during a real call, issue 9 items 4–6: a SIPp caller sending a G.711 tone through Kamailio and
 * rtpengine, answered with F9 by a position in Chromium with fake devices. The active call shows its quality
 * per direction (E-model MOS from getStats); the microphone's track ends mid-call (as when a USB headset
 * is pulled out) and the page swaps in the fallback with replaceTrack: the caller keeps hearing the
 * position. The call's quality is written as an event when it ends. Screenshots at both sizes.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCall, type LabInfo } from '../electron/lab/index.js';
import { startLabPosition, type LabPosition } from './support/lab-position.js';
import { screenshots } from './support/screenshots.js';

/**
 * Test-only hooks, injected before the page's scripts: the page keeps its peer connections and captured
 * tracks private, so the test records them to end a track and to read what is sent after the swap.
 */
const RECORD = `
  window.__vigieTracks = [];
  window.__vigiePcs = [];
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    const s = await gum(c);
    window.__vigieTracks.push(...s.getAudioTracks());
    return s;
  };
  const Pc = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Pc {
    constructor(config) {
      // KNOWN ISSUE, not this test's subject: the lab's rtpengine offers one audio m-line without a BUNDLE
      // group, which Chromium refuses under the page's 'max-bundle' policy ("session description has no
      // BUNDLE group"). 'balanced' accepts it; remove this line once the media code and the lab agree.
      super({ ...config, bundlePolicy: 'balanced' });
      window.__vigiePcs.push(this);
    }
  };
`;

interface SentNow {
  trackId: string | null;
  live: boolean;
  packetsSent: number;
  energy: number;
}

describe('a call with audio: quality per direction, microphone lost mid-call', () => {
  let position: LabPosition | undefined;
  let lab: string;
  let info: LabInfo;
  let data: string;
  let page: Page;
  let caller: ReturnType<typeof labCall> | undefined;

  beforeAll(async () => {
    position = await startLabPosition({
      name: 'voicecall',
      // Media, not the roster, is under test: this position lets anyone answer (vigie.json, calls.answerRequiresSignIn).
      config: { calls: { answerRequiresSignIn: false } },
      initScript: RECORD,
    });
    ({ lab, info, data, page } = position);
  });

  afterAll(async () => {
    await position?.stop([caller]);
  });

  /** The live pc's sender: its track, and what the media source fed it so far. */
  // Page-side code as a string: the e2e files are compiled without the DOM library (they run under Node).
  const sent = (): Promise<SentNow> =>
    page.evaluate<SentNow>(`(async () => {
      const pc = window.__vigiePcs.filter((p) => p.connectionState !== 'closed').at(-1);
      const track = pc?.getSenders()[0]?.track ?? null;
      let packetsSent = 0;
      let energy = 0;
      for (const s of (await pc?.getStats())?.values() ?? []) {
        if (s.type === 'outbound-rtp') packetsSent = s.packetsSent;
        if (s.type === 'media-source') energy = s.totalAudioEnergy ?? 0;
      }
      return { trackId: track?.id ?? null, live: track?.readyState === 'live', packetsSent, energy };
    })()`);

  it('answers with F9 and shows the quality of each direction live', async () => {
    caller = labCall({ dir: lab, to: '1001', count: 1, ringS: 20, talkS: 45, line: '18', from: '0687000018' });
    await page.getByTestId('queue').getByTestId('call').first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('F9');
    await page.getByTestId('mine').getByTestId('call').first().waitFor({ timeout: 10_000 });
    // Inbound from our own receiver within seconds.
    await expect
      .poll(() => page.getByTestId('quality-inbound').getAttribute('data-mos'), { timeout: 10_000 })
      .toMatch(/^\d/);
    // Outbound needs the far end's RTCP receiver reports (remote-inbound-rtp); the lab's caller sends none
    // through rtpengine, and the screen says so instead of showing a figure it does not have.
    await expect
      .poll(() => page.getByTestId('quality-outbound').textContent(), { timeout: 20_000 })
      .toMatch(/MOS \d|aucun rapport de réception/);
    const mos = Number(await page.getByTestId('quality-inbound').getAttribute('data-mos'));
    // Loopback, no loss: the G.711 ceiling (R 93.2 → MOS 4.41), minus the delay of the jitter buffer,
    // which grows on a loaded machine (4.23–4.35 seen here); 4.0 is still « satisfied » (ITU-T G.109).
    expect(mos).toBeGreaterThan(4.0);
    expect(mos).toBeLessThanOrEqual(4.41);
    expect(await page.getByTestId('voice-alarm').count()).toBe(0);
    await screenshots(page, 'voice-call-quality');
  });

  it('raises « aucun son reçu » when the caller’s RTP stops, and clears it when it comes back', async () => {
    // The media relay frozen (SIGSTOP by its pid): nothing reaches the page, the SIP dialog is untouched.
    process.kill(info.rtpengine.pid, 'SIGSTOP');
    try {
      const alarm = page.locator('[data-testid="voice-alarm"][data-alarm="no-rtp"]');
      // noRtpS is 5 s by default; the watchdog samples once a second.
      await alarm.waitFor({ timeout: 10_000 });
      expect(await alarm.textContent()).toContain('Aucun son reçu');
      await screenshots(page, 'voice-call-alarm');
    } finally {
      process.kill(info.rtpengine.pid, 'SIGCONT');
    }
    await page
      .locator('[data-testid="voice-alarm"][data-alarm="no-rtp"]')
      .waitFor({ state: 'detached', timeout: 5_000 });
  });

  it('keeps sending audio when the microphone track ends mid-call: the fallback replaces it', async () => {
    const before = await sent();
    expect(before.live).toBe(true);
    // What a pulled USB headset does to its track: it ends (Media Capture and Streams, "ended").
    await page.evaluate(`(() => {
      const track = window.__vigieTracks.find((t) => t.id === ${JSON.stringify(before.trackId)});
      track?.stop();
      track?.dispatchEvent(new Event('ended'));
    })()`);
    await page
      .getByTestId('voice-notice')
      .getByText(/Micro basculé sur/)
      .waitFor({ timeout: 10_000 });
    await expect.poll(async () => (await sent()).trackId, { timeout: 5_000 }).not.toBe(before.trackId);
    const swapped = await sent();
    expect(swapped.live).toBe(true);
    await page.waitForTimeout(2000);
    const later = await sent();
    // Same connection, no renegotiation: packets keep flowing and carry the new microphone's sound.
    expect(later.packetsSent).toBeGreaterThan(swapped.packetsSent + 50);
    expect(later.energy).toBeGreaterThan(swapped.energy);
  });

  it('the caller heard the position through the call, and the events are in the log', async () => {
    const result = await caller;
    expect(result?.exitCode).toBe(0);
    expect(result?.rtpReceived ?? 0).toBeGreaterThan(500);
    expect(result?.energyReceived ?? 0).toBeGreaterThan(0.001);
    // The call ended: its quality was sent; the device changes were recorded.
    await expect.poll(() => eventsOfType(data, 'voice.quality'), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(eventsOfType(data, 'voice.device')).toBeGreaterThanOrEqual(2);
    // « no RTP » raised, then cleared, first. No false alarm: the fake microphone beeps all along and the
    // caller's tone is never silence. (After the relay's freeze its inbound stream may stop again for good,
    // seen here; the watchdog then raises « no RTP » once more, cleared when the call closes.)
    const written = alarms(data);
    expect(written.slice(0, 2)).toEqual(['no-rtp:raised', 'no-rtp:cleared']);
    expect(written.filter((a) => !a.startsWith('no-rtp:'))).toEqual([]);
  });
});

const alarms = (data: string): string[] =>
  execFileSync(
    'sqlite3',
    [
      '-readonly',
      join(data, 'vigie.db'),
      "SELECT json_extract(payload, '$.alarm') || ':' || json_extract(payload, '$.state') FROM events WHERE type = 'voice.alarm' ORDER BY seq",
    ],
    { encoding: 'utf8' },
  )
    .split('\n')
    .filter((line) => line !== '');

/** Counts events of `type` in the position's log with the sqlite3 shell, read-only beside the running core. */
const eventsOfType = (data: string, type: string): number => {
  const out = execFileSync(
    'sqlite3',
    ['-readonly', join(data, 'vigie.db'), `SELECT COUNT(*) FROM events WHERE type = '${type}'`],
    {
      encoding: 'utf8',
    },
  );
  return Number(out.trim());
};
