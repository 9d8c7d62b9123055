/**
 * A caller's voice reaches the operator and back: a lab caller (SIPp + a Node RTP endpoint sending G.711)
 * through Kamailio and rtpengine to the browser host's page, which answers with F9 and carries the audio in
 * its RTCPeerConnection (Chromium's fake microphone plays a known tone). Then RFC 4733 DTMF and mute (hold
 * and resume are in voice-positions.e2e.ts: SIPp's caller scenario does not answer a re-INVITE). Runs in a network namespace with only lo (scripts/test.sh): Chromium would otherwise offer
 * the machine's other addresses as ICE candidates.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCall, labDown, labUp } from '../electron/lab/index.js';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { screenshots } from './support/screenshots.js';
import { serve, type Served } from './support/serve.js';
import {
  contractRequest,
  fakeMicrophoneArgs,
  peerAudio,
  requestWithoutMedia,
  watchPeers,
  writeToneWav,
  type PeerAudio,
} from './support/voice.js';

interface Queue {
  ok: boolean;
  value?: { mine: { id: string; state: string; muted: boolean }[] };
}

describe('voice: a lab caller and the console page, through Kamailio and rtpengine', () => {
  let lab: string;
  let data: string;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    lab = mkdtempSync(join(tmpdir(), 'vigie-e2e-lab-'));
    data = mkdtempSync(join(tmpdir(), 'vigie-e2e-data-'));
    const wav = join(lab, 'tone-440.wav');
    writeToneWav(wav, 440);
    await labUp({ dir: lab });
    // Media, not the roster, is under test: this position lets anyone answer (vigie.json, calls.answerRequiresSignIn).
    writeFileSync(join(data, 'vigie.json'), JSON.stringify({ calls: { answerRequiresSignIn: false } }));
    served = await serve(['--lab', lab, '--user', '1001', '--data', data]);
    chromium = await launchChromium({ media: true, args: fakeMicrophoneArgs(wav) });
    await watchPeers(chromium.context);
  });

  afterAll(async () => {
    await chromium?.close();
    await served?.stop();
    await labDown({ dir: lab }).catch(() => undefined);
    rmSync(lab, { recursive: true, force: true });
    removeDataDir(data);
  });

  const mine = async (page: Parameters<typeof peerAudio>[0]) => {
    const queue = (await contractRequest(page, 'calls.queue', {})) as Queue; // the contract's Result<QueueSnapshot>
    return queue.value?.mine ?? [];
  };

  it('refuses to answer while no page owns the audio, in French, and the call keeps ringing', async () => {
    const telephony = async () => {
      const status = (await requestWithoutMedia(served.url, 'status.get', {})) as {
        value?: { telephony?: { state?: string } };
      }; // Result<Status>
      return status.value?.telephony?.state;
    };
    await expect.poll(telephony, { timeout: 20_000 }).toBe('registered');
    const caller = labCall({ dir: lab, to: '1001', count: 1, ringS: 6, talkS: 1, line: '18', from: '0687000001' });
    const ringing = async () => {
      const queue = (await requestWithoutMedia(served.url, 'calls.queue', {})) as { value?: { ringing: unknown[] } };
      return queue.value?.ringing.length ?? 0; // Result<QueueSnapshot>
    };
    await expect.poll(ringing, { timeout: 15_000 }).toBe(1);
    const refused = await requestWithoutMedia(served.url, 'calls.answerNext', {});
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Aucun écran/) } });
    expect(await ringing()).toBe(1);
    // The caller gives up after its 6 s of ringing: cancelled, never answered.
    expect(await caller).toMatchObject({ successful: 1, rtpReceived: 0 });
    await expect.poll(ringing, { timeout: 10_000 }).toBe(0);
  });

  it('answers with F9: audio both ways within 5 s, DTMF by RFC 4733, then mute', async () => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(served.url);
    await expect
      .poll(() => page.getByTestId('status-telephony').textContent(), { timeout: 15_000 })
      .toContain('enregistrée');

    // (a) One caller on the 18 who talks 6 s once answered.
    const caller = labCall({ dir: lab, to: '1001', count: 1, ringS: 30, talkS: 6, line: '18', from: '0687123456' });
    const ringing = page.getByTestId('queue').getByTestId('call');
    await expect.poll(() => ringing.count(), { timeout: 15_000 }).toBe(1);
    await page.keyboard.press('F9');
    const answeredAt = Date.now();
    // F9 → the call in conversation: the page's negotiation (microphone, ICE gathering) then the 200 OK.
    await expect.poll(async () => (await mine(page))[0]?.state, { timeout: 10_000, interval: 50 }).toBe('active');
    console.log(`voix : F9 → en ligne (200 OK, audio prêt) ${Date.now() - answeredAt} ms`);
    const seen: { audio: PeerAudio | null } = { audio: null };
    await expect
      .poll(
        async () => {
          const audio = await peerAudio(page);
          seen.audio = audio;
          return (audio?.packetsReceived ?? 0) > 0 && (audio?.energy ?? 0) > 0;
        },
        { timeout: 5_000, interval: 200 },
      )
      .toBe(true);
    const firstAudioMs = Date.now() - answeredAt;
    console.log(
      `voix : première énergie reçue ${firstAudioMs} ms après F9 (${seen.audio?.packetsReceived ?? 0} paquets)`,
    );
    await screenshots(page, 'voice-active-call');

    // (c) DTMF by RFC 4733, through the page's RTCDTMFSender.
    const callId = (await mine(page))[0]?.id ?? '';
    expect(await contractRequest(page, 'calls.dtmf', { callId, digits: '123#' })).toMatchObject({ ok: true });

    const first = await caller;
    const figures = (r: typeof first) =>
      JSON.stringify({
        rtpReceived: r.rtpReceived,
        rtpSent: r.rtpSent,
        energy: r.energyReceived,
        dtmf: r.dtmfReceived,
      });
    console.log('voix : appelant 1', figures(first));
    expect(first).toMatchObject({ successful: 1, failed: 0 });
    expect(first.rtpReceived).toBeGreaterThan(50);
    expect(first.energyReceived).toBeGreaterThan(0.01);
    expect(first.dtmfReceived.join('')).toContain('123#');

    // (e) Mute: the caller receives silence while the page still hears the caller.
    const second = labCall({ dir: lab, to: '1001', count: 1, ringS: 30, talkS: 12, line: '18', from: '0687000002' });
    await expect.poll(() => ringing.count(), { timeout: 15_000 }).toBe(1);
    await page.keyboard.press('F9');
    await expect.poll(async () => (await mine(page)).length, { timeout: 10_000 }).toBe(1);
    const secondId = (await mine(page))[0]?.id ?? '';
    expect(await contractRequest(page, 'calls.mute', { callId: secondId, muted: true })).toMatchObject({ ok: true });
    const mutedAt = (await peerAudio(page))?.energy ?? 0;
    await expect.poll(async () => ((await peerAudio(page))?.energy ?? 0) > mutedAt, { timeout: 5_000 }).toBe(true);
    const muted = await second;
    console.log('voix : appelant 2 (micro coupé)', figures(muted));
    expect(muted).toMatchObject({ successful: 1, failed: 0 });
    expect(muted.rtpReceived).toBeGreaterThan(50);
    // Only what left before the mute took effect (about a second of twelve): far below the first call's level.
    expect(muted.energyReceived).toBeLessThan(first.energyReceived * 0.35);

    await expect.poll(async () => (await peerAudio(page)) === null, { timeout: 10_000 }).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
