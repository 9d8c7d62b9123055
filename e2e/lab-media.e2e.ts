/**
 * The lab's media path with real WebRTC: Chromium pages (fake microphone playing a 600 Hz tone) behind
 * sip.js over WebSocket, a plain-RTP lab caller (1000 Hz), Kamailio and rtpengine on loopback. Run it in a
 * network namespace with only lo (scripts/test.sh does), or Chromium may offer a non-loopback address.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCall, labDown, labUp, POSITION_TONE_HZ, type LabInfo } from '../electron/lab/index.js';
import { writeToneWav } from '../electron/lab/wav.js';
import { launchLabBrowser, startWebrtcEndpoint, type LabBrowser } from '../electron/testing/lab/webrtc-endpoint.js';

const poll = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('lab media: plain RTP callers and WebRTC endpoints through rtpengine', () => {
  let root: string;
  let lab: LabInfo;
  let browser: LabBrowser;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'vigie-e2e-lab-media-'));
    lab = await labUp({ dir: join(root, 'lab') });
    browser = await launchLabBrowser(writeToneWav(join(root, 'tone.wav'), { hz: POSITION_TONE_HZ, seconds: 2 }));
  });

  afterAll(async () => {
    await browser?.close();
    if (lab !== undefined) await labDown({ dir: lab.dir }).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  const inRelay = (address: string): boolean => {
    const [host, port] = address.split(':');
    return host === '127.0.0.1' && Number(port) >= lab.rtpengine.portMin && Number(port) <= lab.rtpengine.portMax;
  };

  it('a UDP caller (RTP/AVP) reaches a WebRTC endpoint (DTLS-SRTP, ICE): audio both ways', async () => {
    const position = await startWebrtcEndpoint({ browser, wsUrl: lab.wsUrl, user: '3101', answerAfterMs: 0 });
    try {
      const calling = labCall({ dir: lab.dir, to: '3101', talkS: 4, ringS: 10 });
      await position.established();
      // Read during the call: sip.js closes the peer connection at BYE.
      const stats = await poll(
        () => position.stats(),
        (s) => s.packetsReceived > 80 && s.remoteToneShare > 0.5,
      );
      const caller = await calling;
      expect(caller, caller.output).toMatchObject({ exitCode: 0, successful: 1 });
      // The caller hears the page's 600 Hz microphone…
      expect(caller.rtpReceived).toBeGreaterThan(80);
      expect(caller.toneShareReceived).toBeGreaterThan(0.5);
      expect(caller.energyReceived).toBeGreaterThan(0.02);
      // …and the page received the caller's audio, from the relay's port on loopback.
      expect(stats.packetsReceived).toBeGreaterThan(80);
      // Heard, as the Web Audio analyser measures it (headless Chromium plays nothing out: totalAudioEnergy stays 0).
      expect(stats.remoteLevel).toBeGreaterThan(0.02);
      expect(stats.remoteToneShare).toBeGreaterThan(0.5);
      expect(inRelay(stats.remoteAddress), stats.remoteAddress).toBe(true);
    } finally {
      await position.stop();
    }
  });

  it('two WebRTC endpoints call each other through the relay: audio both ways', async () => {
    const a = await startWebrtcEndpoint({ browser, wsUrl: lab.wsUrl, user: '3201' });
    const b = await startWebrtcEndpoint({ browser, wsUrl: lab.wsUrl, user: '3202', answerAfterMs: 0 });
    try {
      await a.call('3202');
      await Promise.all([a.established(), b.established()]);
      for (const side of [a, b]) {
        const stats = await poll(
          () => side.stats(),
          (s) => s.packetsReceived > 50 && s.remoteLevel > 0.02,
        );
        expect(stats.packetsReceived).toBeGreaterThan(50);
        expect(stats.remoteLevel).toBeGreaterThan(0.02);
        expect(inRelay(stats.remoteAddress), stats.remoteAddress).toBe(true);
      }
      await a.hangup();
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
